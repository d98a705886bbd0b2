// Loaded in <head> without `defer`, before the page is drawn: marks the page as scripted, so the
// header's menu (site.js) starts closed on narrow screens instead of closing after a flash. It
// is a file, not an inline script, because the Content-Security-Policy allows no inline script.
document.documentElement.classList.add("sc-js");
