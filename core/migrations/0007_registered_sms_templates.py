"""The texts the platform sends by SMS, as the office registers them with the providers.

Provider template codes are left empty: the office fills them in (Settings → SMS templates)
once Tencent Cloud or Aliyun has approved each text, exactly as written here.
"""

from django.db import migrations

TEMPLATES = [
    ("verification_code", "Sign-up, sign-in and phone verification codes", "您的验证码为{code}，15分钟内有效，请勿泄露给他人。", 10),
    (
        "unknown_account",
        "Someone asked for a sign-in code for a number without an account",
        "有人尝试用本手机号登录县电商孵化平台，但本号码尚未注册。如非本人操作，请忽略。",
        35,
    ),
    ("notice", "A notification without a link (its title)", "{title}。详情请登录县电商孵化平台查看。", 35),
    ("notice_link", "A notification with a link (its title and the link)", "{title}。详情请打开：{link}", 120),
]


def add_templates(apps, schema_editor):
    SMSTemplate = apps.get_model("core", "SMSTemplate")
    for key, description, text, max_length in TEMPLATES:
        SMSTemplate.objects.get_or_create(
            key=key, defaults={"description": description, "text": text, "max_param_length": max_length}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0006_sms_templates_and_messages")]

    operations = [migrations.RunPython(add_templates, migrations.RunPython.noop)]
