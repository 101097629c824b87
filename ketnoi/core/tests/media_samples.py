"""Small files of each kind as a phone or a browser sends them (their first bytes are what
matters), for the tests of core.media_sniff and of the apps that store media."""

import io
import zipfile


def zip_bytes(members: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first), members[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, content in members.items():
            if name != stored_first:
                archive.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return output.getvalue()


PAD = b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + PAD
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + PAD
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + PAD
GIF = b"GIF89a\x01\x00\x01\x00" + PAD
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + PAD
HEIF = b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic" + PAD
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + PAD
MP3_FRAME = b"\xff\xfb\x90\x64" + PAD
AAC = b"\xff\xf1\x50\x80\x02\x1f\xfc" + PAD
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A isom" + PAD
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2" + PAD
THREE_GP = b"\x00\x00\x00\x18ftyp3gp4\x00\x00\x00\x003gp4" + PAD
OGG = b"OggS\x00\x02\x00\x00" + PAD
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + PAD
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + PAD
AMR = b"#!AMR\n" + PAD
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + PAD
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + PAD
CSV = "tên,tuổi\nLan,40\nMinh,12\n".encode()
DOCX = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zip_bytes(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}, stored_first="mimetype"
)
ZIP = zip_bytes({"a.txt": b"hello"})
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + PAD
ELF = b"\x7fELF\x02\x01\x01\x00" + PAD
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
