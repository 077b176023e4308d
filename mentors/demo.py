"""Demo data of the mentors app (seed order 40, after courses 20 and recruitment 30).

Idempotent: mentors are found by email, assignments only made for trainees without a mentor,
submissions and check-ins only added where there are none yet.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from core import cache_families, roles
from core import demo as core_demo
from core.models import ProductCategory, Township, User
from mentors.services.assignment import assign_mentor
from mentors.services.checkins import record_checkin
from mentors.services.matching import apply_proposal, propose_assignments

from .models import CheckIn, GraduationRecommendation, MentorAssignment, MentorProfile, Skill

# email, real name, phone, townships, products, skills, capacity, bio
MENTORS = [
    (
        "mentor@demo.local",
        "覃志刚",
        None,
        ["guizhou", "maoping", "quyuan"],
        ["navel-orange", "honey"],
        ["shop-setup", "photography", "live-streaming"],
        15,
        "归州镇脐橙网店店主，2016年开店，年销售额超过两百万元。擅长开店、产品拍摄和直播。",
    ),
    (
        "mentor02@demo.local",
        "向红英",
        "+8613900000012",
        ["shazhenxi", "liangtai", "guojiaba"],
        ["bacon", "konjac", "chili"],
        ["copywriting", "packaging"],
        10,
        "腊肉、魔芋网店店主，熟悉食品包装与冷链发货。",
    ),
    (
        "mentor03@demo.local",
        "杜建国",
        "+8613900000013",
        ["yangliuqiao", "shuitianba", "xietan", "meijiahe"],
        ["tea", "mushroom", "walnut"],
        ["logistics", "customer-service"],
        8,
        "县电商服务中心培训讲师，负责物流对接与客服培训。",
    ),
    (
        "mentor04@demo.local",
        "王丽娟",
        "+8613900000014",
        ["xiangxi", "jiuwanxi", "guizhou"],
        ["navel-orange", "kiwi", "yew-crafts"],
        ["live-streaming", "marketing"],
        12,
        "直播电商讲师，带出过多位月销过万的脐橙主播。",
    ),
]

CHECKINS = [
    (9, "visit", "到果园实地查看了脐橙采摘和分拣，帮助拍摄了主图。", "下周上架三款规格，定价参考同行。"),
    (4, "wechat", "微信语音讲解了店铺首页装修，学员已完成店招。", "完成商品详情页文案，发给我看。"),
    (1, "phone", "电话确认了快递合作网点的价格。", "和网点签订月结协议。"),
]


def _mentors():
    people = []
    for email, name, phone, townships, products, skills, capacity, bio in MENTORS:
        user = User.objects.filter(email=email).first()
        if user is None or email != "mentor@demo.local":
            user = core_demo.ensure_person(email=email, phone=phone, real_name=name, role=roles.MENTOR)
        profile, created = MentorProfile.objects.get_or_create(user=user, defaults={"capacity": capacity, "bio": bio})
        if created:
            profile.townships.set(Township.objects.filter(code__in=townships))
            profile.expertise.set(ProductCategory.objects.filter(slug__in=products))
            profile.skills.set(Skill.objects.filter(slug__in=skills))
        people.append(user)
    return people


def _demo_trainees():
    named = {u.email: u for u in User.objects.filter(email__in=["trainee@demo.local", "merchant@demo.local"])}
    numbered = list(User.objects.filter(email__regex=r"^trainee[0-9]+@demo\.local$").order_by("email"))
    return [named[e] for e in ("trainee@demo.local", "merchant@demo.local") if e in named] + numbered


def _assign(trainees, mentors):
    lead = mentors[0]
    mine = trainees[:8]  # the demo mentor gets the named trainees and the first numbered ones
    now = timezone.now()
    for index, trainee in enumerate(mine):
        if MentorAssignment.objects.active().filter(trainee=trainee).exists():
            continue
        assignment = assign_mentor(
            trainee=trainee, mentor=lead, reason="演示数据", allow_over_capacity=True, notify_people=False
        )
        # Spread the start dates so that "no activity since assigned" shows on some rows.
        with cache_families.bulk_write(MentorAssignment):
            MentorAssignment.objects.filter(pk=assignment.pk).update(started_at=now - timedelta(days=30 - index))
    rest = [t for t in trainees[8:] if not MentorAssignment.objects.active().filter(trainee=t).exists()]
    if rest:
        proposal = propose_assignments(trainees=rest, mentors=mentors[1:])
        apply_proposal(proposal=proposal, notify_people=False)


def _submissions(mentor, wanted=4):
    """Keep a few practical tasks in the demo mentor's review queue (made through courses' rules)."""
    from courses import services as course_services
    from courses.models import Enrollment, LessonPage, TaskSubmission

    trainee_ids = list(MentorAssignment.objects.active().filter(mentor=mentor).values_list("trainee_id", flat=True))
    pending = TaskSubmission.objects.filter(user_id__in=trainee_ids, status=TaskSubmission.Status.SUBMITTED).count()
    if pending >= wanted:
        return
    done = set(TaskSubmission.objects.filter(user_id__in=trainee_ids).values_list("user_id", "lesson_id"))
    texts = [
        "店铺已开通，首页装修完成，请老师看看。",
        "拍了五张主图，白底和果园实景各一组。",
        "写好了商品详情页文案，突出了“当季现摘、坏果包赔”。",
    ]
    for enrollment in Enrollment.objects.filter(user_id__in=trainee_ids).select_related("user", "course"):
        for lesson in LessonPage.objects.live().child_of(enrollment.course).exclude(task_instructions=""):
            if pending >= wanted:
                return
            if (enrollment.user_id, lesson.pk) in done or lesson.task_min_files:
                continue
            try:
                course_services.submit_task(
                    user=enrollment.user,
                    lesson=lesson,
                    text=texts[pending % len(texts)],
                    link="https://shop.example.com/demo" if lesson.task_wants_link else "",
                )
            except ValidationError:
                continue
            done.add((enrollment.user_id, lesson.pk))
            pending += 1
            break  # one per trainee, so that the queue shows several people


def _one_trainee_falls_behind(mentor):
    """Make the demo mentor's last trainee inactive for 16 days, so that an at-risk flag shows."""
    from courses.models import Enrollment

    last = (
        MentorAssignment.objects.active()
        .filter(mentor=mentor, trainee__email__regex=r"^trainee[0-9]+@demo\.local$")
        .order_by("-trainee__email")
        .first()
    )
    if last is None:
        return
    Enrollment.objects.filter(user_id=last.trainee_id).update(last_activity_at=timezone.now() - timedelta(days=16))


def _checkins(mentor):
    today = timezone.localdate()
    for assignment in MentorAssignment.objects.active().filter(mentor=mentor).select_related("trainee")[:3]:
        if CheckIn.objects.filter(trainee=assignment.trainee).exists():
            continue
        for days_ago, channel, notes, next_steps in CHECKINS:
            record_checkin(
                mentor=mentor,
                trainee=assignment.trainee,
                date=today - timedelta(days=days_ago),
                channel=channel,
                notes=notes,
                next_steps=next_steps,
            )


def _recommendation(mentor):
    merchant = User.objects.filter(email="merchant@demo.local").first()
    if merchant is None or GraduationRecommendation.objects.filter(trainee=merchant).exists():
        return
    if not MentorAssignment.objects.active().filter(mentor=mentor, trainee=merchant).exists():
        return
    GraduationRecommendation.objects.create(
        trainee=merchant,
        mentor=mentor,
        note="必修课程全部完成，店铺已开张三个月，月销售额稳定在两万元以上，建议准予结业。",
        created_at=timezone.now() - timedelta(days=60),
    )


def seed(home=None):
    mentors = _mentors()
    trainees = _demo_trainees()  # only those the earlier seeds created
    _assign(trainees, mentors)
    lead = mentors[0]
    _submissions(lead)
    _one_trainee_falls_behind(lead)
    _checkins(lead)
    _recommendation(lead)
