"""What the XLSForm export tests need beside the definitions (xlsform_export_cases.py): the
files a form's attachments name, and the comparison of a definition with the one read back."""

from ketnoi.surveys.xlsform_export_rows import language_codes

# Attached files ---------------------------------------------------------------------------------

# The smallest files of each kind that a content check takes for what they are.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(413)


def choices_csv(question: dict) -> bytes:
    """The CSV a `from_file` list came from: name, label and the choices' data columns."""
    columns = list(dict.fromkeys(key for choice in question["choices"] for key in choice.get("data") or {}))
    lines = [",".join(["name", "label", *columns])]
    for choice in question["choices"]:
        label = choice.get("label", {}).get("vi", "")
        lines.append(",".join([choice["name"], label, *((choice.get("data") or {}).get(c, "") for c in columns)]))
    return ("\n".join(lines) + "\n").encode()


def attached_files(definition: dict) -> dict[str, bytes]:
    """Plausible contents for every file a definition lists: its CSV lists written from the
    choices, images and sounds as tiny valid files."""
    lists = {}

    def visit(questions: list[dict]) -> None:
        for question in questions:
            if question.get("from_file"):
                lists[question["from_file"]] = choices_csv(question)
            visit(question.get("children") or [])

    visit(definition["questions"])
    files = {}
    for name in definition.get("attachments") or []:
        files[name] = lists.get(name) or (MP3 if name.endswith(".mp3") else PNG)
    return files


# Comparing a definition with the one read back ---------------------------------------------------


def as_read_back(original: dict, back: dict, *, form_id: str, version: str = "1") -> dict:
    """`back` without what the export had to write although the definition did not say it:
    the form_id, version and default language every XLSForm carries, and the order of the
    languages when the definition gave none. Everything else must come back as it was."""
    back = {**back}
    settings = dict(back.get("settings") or {})
    given = original.get("settings") or {}
    codes = language_codes(original)
    written = {"form_id": form_id, "version": version, "default_language": "vi" if "vi" in codes else codes[0]}
    for key, value in written.items():
        if key not in given and settings.get(key) == value:
            settings.pop(key)
    if settings:
        back["settings"] = settings
    else:
        back.pop("settings", None)
    if "languages" not in original:
        back.pop("languages", None)
    return back
