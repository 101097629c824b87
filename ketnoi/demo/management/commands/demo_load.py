"""`manage.py demo_load`: the demo programmes, once. Running it again changes nothing."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from ketnoi.demo import data, loader


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (hai chương trình, tổ chức, cá nhân, tài khoản demo). Chạy lại không thay đổi gì."

    def handle(self, *args, **options):
        wanted = [spec["code"] for spec in data.PROGRAMMES]
        present = loader.codes_present()
        if present:
            missing = [code for code in wanted if code not in present]
            if missing:
                self.stdout.write(
                    self.style.WARNING(
                        "Dữ liệu mẫu đã có sẵn một phần (thiếu chương trình: "
                        f"{', '.join(missing)}): không nạp thêm để tránh trùng tổ chức và cá nhân."
                    )
                )
            else:
                self.stdout.write("Dữ liệu mẫu đã có sẵn.")
            self._print_logins()
            return

        started = time.monotonic()
        try:
            # The demo's notifications (values awaiting approval) would go to made-up addresses
            # and flood the console backend of `make run`: send them nowhere.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                result = loader.load()
        except loader.DemoDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp dữ liệu mẫu: {len(result.programmes)} chương trình, {len(result.organisations)} tổ chức, "
                f"{result.people} cá nhân, {len(result.users)} tài khoản, {result.survey_responses} phiếu khảo sát "
                f"({time.monotonic() - started:.1f} giây)."
            )
        )
        for username in result.existing_users:
            self.stdout.write(
                self.style.WARNING(f"Tài khoản “{username}” đã có từ trước: giữ nguyên, không đặt lại mật khẩu.")
            )
        self._print_logins()

    def _print_logins(self) -> None:
        header = ("Tên đăng nhập", "Vai trò", "Mật khẩu")
        rows = [(username, description, data.PASSWORD) for username, description, *_rest in data.USERS]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def line(cells) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

        self.stdout.write("")
        self.stdout.write("Tài khoản demo:")
        self.stdout.write(line(header))
        self.stdout.write(line("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row))
