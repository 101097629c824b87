"""Two-factor sign-in: enrolling an authenticator app, recovery codes, verifying, disabling.

The devices are django-otp's: one TOTPDevice (the authenticator app) and one StaticDevice whose
tokens are the recovery codes (each deleted when used). Wrong codes are throttled per device by
django-otp (1, 2, 4, 8… seconds); a failed try must stay counted, so the verifying services
return None on a wrong code rather than raise (a raise would roll the count back).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..audit import audit_record
from .actions import CoreAction
from .mail import mail_queue

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


def _tell_the_owner(user, *, change: str) -> None:
    """E-mail the account's address when its second factor changes: someone holding only the
    password could enrol their own phone first, or turn the factor off; the owner then knows."""
    mail_queue(
        to=user.email,
        template="core/email/two_factor_changed",
        context={
            "name": user.get_full_name() or user.get_username(),
            "change": change,
            "when": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
        },
        caused_by=user,
    )


def _normalise(token: str) -> str:
    return "".join((token or "").split()).replace("-", "").lower()


def confirmed_app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _refuse_if_throttled(device) -> None:
    allowed, data = device.verify_is_allowed()
    if not allowed:
        locked_until = (data or {}).get("locked_until")
        seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
        raise ValidationError(
            {"token": _("Bạn đã nhập sai nhiều lần. Hãy đợi %(seconds)s giây rồi nhập mã mới.") % {"seconds": seconds}}
        )


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_enrol_start(*, actor) -> TOTPDevice:
    """The not-yet-confirmed authenticator device whose secret the enrolment page shows."""
    if confirmed_app_device(actor) is not None:
        raise ValidationError(_("Bạn đã bật đăng nhập hai bước."))
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=APP_DEVICE_NAME, confirmed=False)
    return device


def two_factor_enrol_confirm(*, actor, token: str) -> list[str] | None:
    """A code from the app proves it holds the secret: the device is confirmed and ten recovery
    codes made (returned, to be shown once). None when the code is wrong."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        raise ValidationError({"token": _("Hãy tải lại trang Bảo mật tài khoản và quét mã QR mới.")})
    _refuse_if_throttled(device)
    if verify_token(actor, device.persistent_id, _normalise(token)) is None:
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(actor)
        audit_record(
            actor=actor,
            action=CoreAction.TWO_FACTOR_ENABLE,
            obj=actor,
            changes={"recovery_codes": RECOVERY_CODE_COUNT},
        )
        _tell_the_owner(actor, change="enabled")
    return codes


def two_factor_verify(*, actor, token: str):
    """The second step: a 6-digit code from the app, or a recovery code (used up). Returns the
    device that accepted it, or None for a wrong code; a throttled device refuses with how long
    to wait."""
    token = _normalise(token)
    if token.isdigit():
        device = confirmed_app_device(actor)
    else:
        device = StaticDevice.objects.filter(user=actor, confirmed=True).first()
    if device is None:
        return None
    _refuse_if_throttled(device)
    verified = verify_token(actor, device.persistent_id, token)
    if isinstance(verified, StaticDevice):
        with transaction.atomic():
            audit_record(
                actor=actor,
                action=CoreAction.TWO_FACTOR_RECOVERY_CODE_USE,
                obj=actor,
                changes={"recovery_codes_left": recovery_codes_left(actor)},
            )
    return verified


@transaction.atomic
def two_factor_recovery_codes_regenerate(*, actor) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if confirmed_app_device(actor) is None:
        raise ValidationError(_("Hãy bật đăng nhập hai bước trước."))
    codes = _new_recovery_codes(actor)
    audit_record(
        actor=actor,
        action=CoreAction.TWO_FACTOR_RECOVERY_CODES_REGENERATE,
        obj=actor,
        changes={"recovery_codes": RECOVERY_CODE_COUNT},
    )
    _tell_the_owner(actor, change="recovery_codes")
    return codes


def two_factor_disable(*, actor, token: str) -> bool:
    """Turn two-factor sign-in off, proved by a current code (or a recovery code). False for a
    wrong code. Someone who must use it is asked to enrol again on their next page."""
    if two_factor_verify(actor=actor, token=token) is None:
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        StaticDevice.objects.filter(user=actor).delete()
        audit_record(actor=actor, action=CoreAction.TWO_FACTOR_DISABLE, obj=actor, changes={})
        _tell_the_owner(actor, change="disabled")
    return True
