"""The demo province's document library: a dozen real resolutions, directives and guides of
the Party (numbers, dates and issuing bodies as published), a provincial plan, a leaflet, and
papers of the demo commune and cell, each with a small generated PDF.

The PDFs are plain one-page files written here (no PDF library): their text is the title and the
key points without diacritics, because the PDF base fonts carry no Vietnamese letters. The
summaries and key points on the pages are full Vietnamese.
"""

import random
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from chibo.accounts.policy import SYSTEM
from chibo.documents.services import NewDocument, publish_document, record_reading
from chibo.members.models import Member
from chibo.organizations.models import Organization

CENTRAL = "Ban Chấp hành Trung ương"


@dataclass
class DemoDocument:
    kind: str
    number: str
    title: str
    issuing_body: str
    issued_on: date
    summary: str
    key_points: tuple[str, ...]
    audience: str = "province"  # province, commune or cell


DOCUMENTS = [
    DemoDocument("resolution", "21-NQ/TW", "Về tăng cường củng cố, xây dựng tổ chức cơ sở đảng "
                 "và nâng cao chất lượng đội ngũ đảng viên trong giai đoạn mới", CENTRAL,
                 date(2022, 6, 16), "Nghị quyết Hội nghị Trung ương 5 khóa XIII về tổ chức cơ sở "
                 "đảng và đảng viên.",
                 ("Tổ chức cơ sở đảng là nền tảng của Đảng, hạt nhân chính trị ở cơ sở",
                  "Nâng cao chất lượng sinh hoạt chi bộ, nhất là sinh hoạt chuyên đề",
                  "Kết nạp đảng viên đi đôi với sàng lọc, đưa người không đủ tư cách "
                  "ra khỏi Đảng")),
    DemoDocument("resolution", "04-NQ/TW", "Về tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, "
                 "đẩy lùi sự suy thoái về tư tưởng chính trị, đạo đức, lối sống, những biểu hiện "
                 "\"tự diễn biến\", \"tự chuyển hóa\" trong nội bộ", CENTRAL, date(2016, 10, 30),
                 "Nghị quyết Hội nghị Trung ương 4 khóa XII; nêu 27 biểu hiện suy thoái.",
                 ("9 biểu hiện suy thoái về tư tưởng chính trị",
                  "9 biểu hiện suy thoái về đạo đức, lối sống",
                  "9 biểu hiện \"tự diễn biến\", \"tự chuyển hóa\"",
                  "Mỗi đảng viên tự soi, tự sửa trong kiểm điểm hằng năm")),
    DemoDocument("conclusion", "21-KL/TW", "Về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống "
                 "chính trị; kiên quyết ngăn chặn, đẩy lùi, xử lý nghiêm cán bộ, đảng viên suy "
                 "thoái", CENTRAL, date(2021, 10, 25), "Kết luận Hội nghị Trung ương 4 khóa XIII.",
                 ("Nêu gương của cán bộ, đảng viên, trước hết là người đứng đầu",
                  "Xử lý nghiêm cán bộ, đảng viên suy thoái")),
    DemoDocument("directive", "50-CT/TW", "Về nâng cao chất lượng sinh hoạt chi bộ trong tình "
                 "hình mới", "Ban Bí thư", date(2025, 7, 23),
                 "Chỉ thị của Ban Bí thư về đổi mới, nâng cao chất lượng sinh hoạt chi bộ.",
                 ("Sinh hoạt thường kỳ mỗi tháng một lần, chuyên đề ít nhất mỗi quý một lần",
                  "Tài liệu sinh hoạt gửi trước cho đảng viên qua Sổ tay đảng viên điện tử")),
    DemoDocument("guidance", "42-HD/BTCTW", "Hướng dẫn một số vấn đề cụ thể về nâng cao chất "
                 "lượng sinh hoạt chi bộ", "Ban Tổ chức Trung ương", date(2025, 10, 28),
                 "Hướng dẫn thực hiện Chỉ thị 50-CT/TW.",
                 ("Buổi sinh hoạt ít nhất 90 phút; kết hợp chuyên đề ít nhất 120 phút",
                  "Tài liệu đưa lên Sổ tay đảng viên điện tử ít nhất 1 ngày trước buổi họp",
                  "Đảng viên dự đủ trên 85%, không có đảng viên vắng không lý do")),
    DemoDocument("regulation", "366-QĐ/TW", "Quy định về kiểm điểm và đánh giá, xếp loại chất "
                 "lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị", "Bộ Chính trị",
                 date(2025, 8, 30), "Thay thế Quy định 124-QĐ/TW; chấm điểm theo thang 100.",
                 ("Từ 90 điểm: hoàn thành xuất sắc nhiệm vụ", "Từ 70 đến dưới 90 điểm: hoàn "
                  "thành tốt nhiệm vụ", "Từ 50 đến dưới 70 điểm: hoàn thành nhiệm vụ",
                  "Dưới 50 điểm: không hoàn thành nhiệm vụ")),
    DemoDocument("guidance", "43-HD/BTCTW", "Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng "
                 "tổ chức đảng, đảng viên", "Ban Tổ chức Trung ương", date(2025, 10, 31),
                 "Hướng dẫn thực hiện Quy định 366-QĐ/TW; các mẫu bản tự kiểm điểm.",
                 ("Đảng viên tự kiểm điểm theo mẫu, đối chiếu 27 biểu hiện",
                  "Chi bộ góp ý, đề xuất mức xếp loại")),
    DemoDocument("regulation", "294-QĐ/TW", "Quy định thi hành Điều lệ Đảng", "Ban Chấp hành "
                 "Trung ương", date(2025, 5, 26), "Có hiệu lực từ 1/7/2025; bỏ cấp huyện.",
                 ("Tổ chức cơ sở đảng trực thuộc đảng bộ tỉnh, thành phố",
                  "Thủ tục kết nạp, chuyển sinh hoạt đảng theo mô hình hai cấp")),
    DemoDocument("regulation", "01-QĐ/TW", "Quy định về chế độ đảng phí", "Bộ Chính trị",
                 date(2026, 2, 3), "Thay thế Quyết định 342-QĐ/TW năm 2010.",
                 ("Đảng viên đóng đảng phí hằng tháng theo thu nhập",
                  "Chi bộ thu và nộp lên cấp trên theo quy định")),
    DemoDocument("regulation", "339-QĐ/TW", "Về Sổ tay đảng viên điện tử", "Ban Bí thư",
                 date(2025, 7, 10), "Đưa Sổ tay đảng viên điện tử vào sử dụng thống nhất.",
                 ("Đảng viên tra cứu văn bản, nhận lịch và tài liệu sinh hoạt",
                  "Kênh trao đổi hai chiều giữa cấp ủy và đảng viên")),
    DemoDocument("plan", "15-KH/TU", "Kế hoạch thực hiện Chỉ thị 50-CT/TW của Ban Bí thư về nâng "
                 "cao chất lượng sinh hoạt chi bộ (tài liệu minh họa)", "Tỉnh ủy Tuyên Quang",
                 date(2025, 9, 15), "Kế hoạch của Tỉnh ủy (số hiệu minh họa cho bản demo).",
                 ("Mỗi đảng bộ xã xây dựng ít nhất một chi bộ sinh hoạt mẫu mỗi quý",
                  "100% chi bộ đưa tài liệu lên Sổ tay trước buổi họp")),
    DemoDocument("leaflet", "TL-01/BTG", "Tài liệu tóm tắt: 27 biểu hiện suy thoái cần nhận diện "
                 "(theo Nghị quyết 04-NQ/TW)", "Ban Tuyên giáo Tỉnh ủy", date(2025, 11, 1),
                 "Tờ rơi một trang giúp đảng viên tự soi, tự sửa.",
                 ("Nhóm A: tư tưởng chính trị", "Nhóm B: đạo đức, lối sống",
                  "Nhóm C: \"tự diễn biến\", \"tự chuyển hóa\"")),
    DemoDocument("resolution", "01-NQ/ĐU", "Nghị quyết lãnh đạo thực hiện nhiệm vụ chính trị năm "
                 "2026", "Đảng ủy xã", date(2026, 1, 8), "Nghị quyết của Đảng ủy xã (minh họa).",
                 ("Hoàn thành 100% chỉ tiêu phát triển đảng viên",
                  "Mỗi chi bộ thôn có ít nhất một công trình dân vận"), "commune"),
    DemoDocument("resolution", "NQ tháng 11/2026", "Nghị quyết chi bộ về nhiệm vụ tháng 11 năm "
                 "2026", "Chi bộ", date(2026, 11, 5), "Nghị quyết của chi bộ (minh họa).",
                 ("Vận động các hộ tham gia làm đường giao thông nông thôn",
                  "Thu đủ đảng phí trước ngày 25"), "cell"),
]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in folded if ord(ch) < 128 and not unicodedata.combining(ch))


def _pdf_text(text: str) -> str:
    return _ascii(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _wrap(text: str, width: int = 80) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def tiny_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF (A4, Helvetica 11) with the given lines."""
    text = "BT /F1 11 Tf 56 790 Td 14 TL " + " ".join(
        f"({_pdf_text(line)}) '" for line in lines[:52]) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            .encode("ascii"))
    return bytes(out)


def _file_for(doc: DemoDocument, issuer: str) -> SimpleUploadedFile:
    lines = [f"{doc.number}  -  {issuer}", f"Ngay {doc.issued_on:%d/%m/%Y}", "",
             *_wrap(doc.title), "", *_wrap(doc.summary), ""]
    for point in doc.key_points:
        lines += _wrap(f"- {point}")
    name = _ascii(doc.number).replace("/", "-").replace(" ", "-") + ".pdf"
    return SimpleUploadedFile(name, tiny_pdf(lines), content_type="application/pdf")


def build_for_demo(context) -> None:
    """`chibo demo`'s builder (chibo.core.registry.DEMO_BUILDERS). It runs after the demo
    accounts exist: the demo member's cell and commune get their own papers."""
    build_library(context.seed)


def build_library(seed: int = 2025) -> int:
    """Publish the demo documents (the demo member's cell and commune get their own papers);
    some members of that cell have read the big resolutions. Returns the number published."""
    root = Organization.objects.get(code="TQ")
    demo_member = Member.objects.select_related("cell__parent").filter(
        user__username="member").first()
    cell = demo_member.cell if demo_member else None
    places = {"province": root, "cell": cell, "commune": cell.parent if cell else None}
    published = []
    for doc in DOCUMENTS:
        audience = places[doc.audience]
        if audience is None:
            continue
        issuer = {"Đảng ủy xã": audience.name, "Chi bộ": audience.name}.get(
            doc.issuing_body, doc.issuing_body)
        published.append(publish_document(NewDocument(
            kind=doc.kind, title=doc.title, issuing_body=issuer, audience_org=audience,
            number=doc.number, issued_on=doc.issued_on, summary=doc.summary,
            key_points="\n".join(doc.key_points)), _file_for(doc, issuer), actor=SYSTEM))
    if cell is not None:
        rng = random.Random(seed)
        readers = list(Member.objects.filter(cell=cell, status__in=["official", "probationary"],
                                             is_exempt=False).exclude(user__username="member"))
        for document in published[:3]:
            for member in rng.sample(readers, k=len(readers) * 2 // 3):
                record_reading(document, member)
    return len(published)
