// Copies the front-end packages installed by `npm ci` into the git-ignored
// static folder that Django serves. Nothing from node_modules is committed.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const out = "src/safecities/static/vendor";
const files = [
  ["designsystemet.css", "@digdir/designsystemet-css", "dist/src/index.css"],
  ["designsystemet-theme.css", "@digdir/designsystemet-theme", "brand/digdir.css"],
  ["htmx.min.js", "htmx.org", "dist/htmx.min.js"],
];

mkdirSync(out, { recursive: true });
for (const [target, pkg, path] of files) {
  const source = join("node_modules", pkg, path);
  if (!existsSync(source)) {
    console.error(`assets: ${source} is missing; run \`npm ci\` first`);
    process.exit(1);
  }
  copyFileSync(source, join(out, target));
  console.log(`assets: ${pkg}/${path} -> ${out}/${target}`);
}
writeFileSync(join(out, ".built"), new Date().toISOString());
