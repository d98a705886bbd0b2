"""Read a form off a page as a browser would post it, so tests post exactly what the page holds
(management forms and row numbers included) instead of a payload written by hand."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """The successful controls of one form: checked boxes, selected options, text areas."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.files: list[str] = []
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                self.files.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "reset", "image"):
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"] = value
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            select = self._select
            value = select["chosen"] if select["chosen"] is not None else select["first"]
            self.fields.append((select["name"], value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            self.fields.append((self._textarea["name"], text[1:] if text[:1] == "\n" else text))
            self._textarea = None


class PageForm:
    """The values of a form on a page, edited as a person would, posted as a browser does."""

    def __init__(self, page: str, form_id: str):
        reader = _FormReader(form_id)
        reader.feed(page)
        assert reader.fields, f"no form #{form_id} with fields on the page"
        self.fields = reader.fields
        self.file_fields = reader.files

    def __getitem__(self, name: str) -> str:
        values = self.getlist(name)
        assert values, f"the form has no field {name}"
        return values[-1]

    def __setitem__(self, name: str, value: str) -> None:
        assert self.getlist(name), f"the form has no field {name}"
        self.fields = [(n, v) for n, v in self.fields if n != name] + [(name, value)]

    def getlist(self, name: str) -> list[str]:
        return [v for n, v in self.fields if n == name]

    def data(self, *, without: tuple[str, ...] = ()) -> dict:
        """The POST body as the test client takes it (a list where a name repeats)."""
        out: dict[str, list[str]] = {}
        for name, value in self.fields:
            if name not in without:
                out.setdefault(name, []).append(value)
        return {name: values if len(values) > 1 else values[0] for name, values in out.items()}
