"""Demo data of recruitment (seed order 30): the programme's first intake of 2025 (its cohort
is filled by the merchants' demo with the county's first merchants), a past campaign
"60个村42天" with applications in every status and two cohorts holding the demo trainees, and
an open campaign a visitor can apply to, where the office's review is under way: two reviewers
with their own scores, a question answered and one still waiting, a draft not sent yet and a
re-application after a withdrawal. Idempotent: pages by slug, people by email, applications by
(campaign, person) (the live one), rounds and drafts by application and person."""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from wagtail.contrib.forms.utils import get_field_clean_name

from core import cache_families, roles
from core import demo as core_demo
from core.models import ProductCategory, User, Village
from incubator.recruitment.models import (
    Application,
    CampaignQuestion,
    Cohort,
    RecruitmentCampaignPage,
    RecruitmentIndexPage,
    TraineeProfile,
)
from incubator.recruitment.services.applying import (
    ApplicantFacts,
    save_draft,
    submit_application,
    withdraw_application,
)
from incubator.recruitment.services.information import request_information, resubmit_application
from incubator.recruitment.services.review import change_application_status
from incubator.recruitment.services.reviewers import assign_reviewers, score_application
from incubator.recruitment.services.trainees import add_to_cohort, change_stage

Status = Application.Status

FIRST_INTAKE_SLUG = "online-merchants-2025"
FIRST_INTAKE_COHORT = "首期（2025年春季班）"
PAST_SLUG = "60-villages-42-days"
# The online-merchant campaigns (2025 and now) ask the same of applicants and thank them alike.
MERCHANT_ELIGIBILITY = "<p>本县居民，有产品或货源，每周能学习3小时以上。</p>"
MERCHANT_THANKS = "<p>谢谢报名！我们会在截止后两周内通知结果。</p>"
OPEN_SLUG = "online-merchants-2026"
# A second office member, so that the demo's applications have two reviewers with their own scores.
REVIEWER_EMAIL = "reviewer@demo.local"

# Extra applicants of the past campaign, one per status that is not "accepted".
OTHER_APPLICANTS = [
    ("applicant01@demo.local", "黄春燕", "maoping-1", Status.SUBMITTED),
    ("applicant02@demo.local", "李德福", "maoping-2", Status.SHORTLISTED),
    ("applicant03@demo.local", "田桂英", "quyuan-1", Status.INTERVIEW),
    ("applicant04@demo.local", "王建军", "quyuan-2", Status.WAITLISTED),
    ("applicant05@demo.local", "覃秀兰", "xietan-1", Status.REJECTED),
    ("applicant06@demo.local", "刘大山", "xietan-2", Status.WITHDRAWN),
    ("applicant07@demo.local", "张翠花", "moping-1", Status.WAITLISTED),
    ("applicant08@demo.local", "陈永强", "moping-2", Status.REJECTED),
]
NUMBERED_TRAINEES = [
    ("trainee01@demo.local", "杜晓燕"),
    ("trainee02@demo.local", "谭志勇"),
    ("trainee03@demo.local", "向红梅"),
    ("trainee04@demo.local", "郑家宝"),
    ("trainee05@demo.local", "屈春花"),
    ("trainee06@demo.local", "望大军"),
    ("trainee07@demo.local", "周丽娟"),
    ("trainee08@demo.local", "胡长青"),
    ("trainee09@demo.local", "舒小芳"),
    ("trainee10@demo.local", "吴有才"),
]
QUESTIONS = [
    ("您家每年大约能供应多少产品？", "singleline", "", "例如：脐橙2万斤"),
    ("您每周能拿出多少时间学习？", "dropdown", "3小时以内\n3到6小时\n6小时以上", ""),
    ("您为什么想做电商？", "multiline", "", ""),
]


def _index(home) -> RecruitmentIndexPage:
    index = RecruitmentIndexPage.objects.first()
    if index is None:
        index = RecruitmentIndexPage(
            title="招募活动",
            slug="recruit",
            intro="县电子商务办公室常年招募农村电商合伙人和网商学员：免费培训，导师帮扶，开店上线。",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def _campaign(index, *, slug, **values) -> RecruitmentCampaignPage:
    campaign = RecruitmentCampaignPage.objects.filter(slug=slug).first()
    if campaign is not None:
        return campaign
    campaign = RecruitmentCampaignPage(slug=slug, **values)
    for order, (label, field_type, choices, help_text) in enumerate(QUESTIONS):
        campaign.questions.add(
            CampaignQuestion(
                sort_order=order,
                label=label,
                field_type=field_type,
                choices=choices,
                help_text=help_text,
                required=order == 0,
            )
        )
    index.add_child(instance=campaign)
    campaign.save_revision().publish()
    return campaign


def _person(email, name, village=None):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = core_demo.ensure_person(email=email, real_name=name, village=village)
    return user


def _apply(campaign, user, village, *, products, poor=False, when=None, office=None) -> Application:
    application = Application.objects.filter(campaign=campaign, applicant=user).exclude(status=Status.WITHDRAWN).first()
    if application is not None:
        return application
    facts = ApplicantFacts(
        real_name=user.real_name or user.email,
        phone=user.phone or "+8613700000000",
        village=village,
        products=products,
        online_experience=Application.Experience.SOME,
        poor_household=poor,
        answers={
            get_field_clean_name(QUESTIONS[0][0]): "脐橙1万斤",
            get_field_clean_name(QUESTIONS[1][0]): "3到6小时",
        },
    )
    application = submit_application(campaign=campaign, applicant=user, facts=facts, imported_by=office)
    if when is not None:
        with cache_families.bulk_write(Application):
            Application.objects.filter(pk=application.pk).update(submitted_at=when)
        application.events.update(created_at=when)
    return application


def accept(campaign, user, village, *, products, office, poor=False, when=None) -> Application:
    """A demo person's application, imported by the office and taken through to "accepted"."""
    application = _apply(campaign, user, village, products=products, poor=poor, when=when, office=office)
    return _move(application, [Status.SHORTLISTED, Status.INTERVIEW, Status.ACCEPTED], office)


def _move(application, path, office):
    """Walk the application along `path`, from wherever it stands (a second seed moves nothing)."""
    if application.status in path:
        path = path[path.index(application.status) + 1 :]
    elif application.status != Status.SUBMITTED:
        return application
    for status in path:
        application = change_application_status(
            application=application, to=status, by=office, allow_over_quota=True, notify_applicant=False
        )
    return application


def seed(home):
    office = User.objects.get(email="office@demo.local")
    index = _index(home)
    now = timezone.now()
    opened = now - timedelta(days=200)
    villages = list(Village.objects.order_by("code"))
    oranges = list(ProductCategory.objects.filter(slug__in=["navel-orange", "honey"]))
    tea = list(ProductCategory.objects.filter(slug__in=["tea", "bacon"]))
    intake_opened = now - timedelta(days=720)
    first_intake = _campaign(
        index,
        slug=FIRST_INTAKE_SLUG,
        title="2025年网商孵化计划：首期学员招募",
        kind=RecruitmentCampaignPage.Kind.ONLINE_MERCHANT,
        intro="孵化计划的第一期：五十名有产品、肯学习的乡亲，八周学会开网店。",
        body=[{"type": "paragraph", "value": "<p>首期学员结业后陆续开店，是全县第一批网商。</p>"}],
        eligibility=MERCHANT_ELIGIBILITY,
        quota=50,
        opens_at=intake_opened,
        closes_at=intake_opened + timedelta(days=35),
        thank_you_text=MERCHANT_THANKS,
    )
    past = _campaign(
        index,
        slug=PAST_SLUG,
        title="60个村42天：村级电商合伙人招募",
        kind=RecruitmentCampaignPage.Kind.VILLAGE_PARTNER,
        intro="42天里，全县60个行政村各招一名电商合伙人：懂手机、有产品、愿意带乡亲一起卖。",
        body=[
            {
                "type": "paragraph",
                "value": "<p>县电子商务办公室联合快递企业和合作社，在全县60个村招募村级电商合伙人。入选者参加免费培训，由导师一对一帮扶开店。</p>",
            },
            {
                "type": "steps",
                "value": {
                    "heading": "参加流程",
                    "steps": [
                        {"title": "在线报名", "text": "用手机填写报名表。"},
                        {"title": "乡镇面试", "text": "乡镇电商服务站约您面谈。"},
                        {"title": "集中培训", "text": "入选后编入培训班。"},
                        {"title": "开店上线", "text": "导师帮您开出第一单。"},
                    ],
                },
            },
            {
                "type": "benefits",
                "value": {
                    "heading": "合伙人能得到什么",
                    "items": ["免费电商培训和证书", "导师一对一帮扶", "快递费补贴", "对接县级电商合作社"],
                },
            },
        ],
        eligibility="<p>本县农村户籍，18至55岁，会用智能手机，家里有特色农产品或能组织货源。</p>",
        quota=60,
        quota_per_village=1,
        opens_at=opened,
        closes_at=opened + timedelta(days=42),
        thank_you_text="<p>报名已收到。乡镇电商服务站会在7天内与您联系。</p>",
    )
    open_campaign = _campaign(
        index,
        slug=OPEN_SLUG,
        title="2026年网商孵化计划：招募网店学员",
        kind=RecruitmentCampaignPage.Kind.ONLINE_MERCHANT,
        intro="想把自家的脐橙、腊肉、蜂蜜卖到全国？报名参加第三期网商孵化培训。",
        body=[{"type": "paragraph", "value": "<p>培训为期八周，手机上学、每周一次线下实操，结业颁发证书。</p>"}],
        eligibility=MERCHANT_ELIGIBILITY,
        quota=40,
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=30),
        thank_you_text=MERCHANT_THANKS,
    )

    named = [User.objects.filter(email=email).first() for email in ("trainee@demo.local", "merchant@demo.local")]
    named = [u for u in named if u is not None]
    numbered = [
        _person(email, name, villages[(i * 2 + 2) % len(villages)]) for i, (email, name) in enumerate(NUMBERED_TRAINEES)
    ]
    trainees = named + numbered
    for user in trainees:
        roles.add_role(user, roles.TRAINEE)

    from courses.models import CoursePage

    courses = list(CoursePage.objects.live().order_by("path")[:3])
    intake, _ = Cohort.objects.get_or_create(
        campaign=first_intake,
        name=FIRST_INTAKE_COHORT,
        defaults={
            "starts_on": (intake_opened + timedelta(days=50)).date(),
            "ends_on": (intake_opened + timedelta(days=110)).date(),
        },
    )
    first, _ = Cohort.objects.get_or_create(
        campaign=past,
        name="第一期（春季班）",
        defaults={"starts_on": (opened + timedelta(days=50)).date(), "ends_on": (opened + timedelta(days=110)).date()},
    )
    second, _ = Cohort.objects.get_or_create(
        campaign=past,
        name="第二期（夏季班）",
        defaults={"starts_on": (opened + timedelta(days=120)).date(), "ends_on": (now + timedelta(days=40)).date()},
    )
    for cohort in (intake, first, second):
        if courses and not cohort.required_courses.exists():
            cohort.required_courses.set(courses)

    for i, user in enumerate(trainees):
        village = user.village or villages[(i * 2 + 2) % len(villages)]
        application = accept(
            past,
            user,
            village,
            products=oranges if i % 2 == 0 else tea,
            poor=i % 3 == 0,
            when=opened + timedelta(days=i % 40, hours=9),
            office=office,
        )
        # The named trainees and the first numbered ones form the spring cohort; the rest the summer one.
        cohort = first if i < 6 else second
        profile = add_to_cohort(application=application, cohort=cohort, by=office)
        if user.email == "merchant@demo.local" and profile.stage == TraineeProfile.Stage.TRAINEE:
            change_stage(profile=profile, to=TraineeProfile.Stage.GRADUATE, by=office, note="演示数据：已结业")

    paths = {
        Status.SUBMITTED: [],
        Status.SHORTLISTED: [Status.SHORTLISTED],
        Status.INTERVIEW: [Status.SHORTLISTED, Status.INTERVIEW],
        Status.WAITLISTED: [Status.SHORTLISTED, Status.INTERVIEW, Status.WAITLISTED],
        Status.REJECTED: [Status.REJECTED],
        Status.WITHDRAWN: [Status.WITHDRAWN],
    }
    for n, (email, name, village_code, status) in enumerate(OTHER_APPLICANTS):
        village = Village.objects.get(code=village_code)
        user = _person(email, name, village)
        application = _apply(
            past,
            user,
            village,
            products=oranges,
            poor=n % 2 == 1,
            when=opened + timedelta(days=3 + n * 4, hours=15),
            office=office,
        )
        _move(application, paths[status], office)
        if n < 3:  # a few have applied to the open campaign too
            _apply(open_campaign, user, village, products=tea, when=now - timedelta(days=8 - n))
    with cache_families.bulk_write(Application):
        Application.objects.filter(
            campaign=past, status_changed_at__isnull=False, status_changed_at__gt=F("submitted_at") + timedelta(days=60)
        ).update(status_changed_at=F("submitted_at") + timedelta(days=10))
    _seed_review(open_campaign, office, tea)


def _seed_review(campaign, office, products):
    """The open campaign under review: reviewers and their scores, a question answered and one
    waiting, a draft, and a re-application after a withdrawal."""
    colleague = core_demo.ensure_person(email=REVIEWER_EMAIL, real_name="唐晓红", role=roles.OFFICE)
    live = list(
        Application.objects.filter(campaign=campaign).exclude(status=Status.WITHDRAWN).order_by("submitted_at", "id")
    )
    fresh = [a for a in live if not a.reviewer_assignments.exists()]
    if fresh:
        assign_reviewers(applications=fresh, reviewers=[office, colleague], by=office)
    for n, application in enumerate(live):
        if not application.review_scores.exists():
            score_application(
                application=application,
                scores={"products": 4, "motivation": 3 + n % 3, "skills": 3, "influence": 2},
                by=office,
            )
            score_application(
                application=application,
                scores={"products": 3, "motivation": 4, "skills": 2 + n % 2, "influence": 3},
                by=colleague,
            )
    by_email = {a.applicant.email: a for a in live}
    answered = by_email.get(OTHER_APPLICANTS[0][0])
    if answered is not None and not answered.information_requests.exists():
        request_information(application=answered, question="您家的脐橙大约有多少棵？去年卖了多少斤？", by=office)
        facts = ApplicantFacts(
            real_name=answered.real_name,
            phone=answered.phone,
            village=answered.village,
            products=list(answered.products.all()),
            products_note="脐橙300棵，去年卖了1.5万斤",
            online_experience=answered.online_experience,
            answers=answered.answers,
        )
        resubmit_application(
            application=answered,
            by=answered.applicant,
            facts=facts,
            answer="大约300棵，去年卖了1.5万斤，多数卖给收购商。",
        )
    waiting = by_email.get(OTHER_APPLICANTS[1][0])
    if waiting is not None and not waiting.information_requests.exists():
        request_information(application=waiting, question="请补充：您家离最近的快递点有多远？", by=office)

    # 张翠花 withdrew her first application to this campaign, then applied again.
    email, name, village_code, _status = OTHER_APPLICANTS[6]
    village = Village.objects.get(code=village_code)
    person = _person(email, name, village)
    mine = Application.objects.filter(campaign=campaign, applicant=person)
    if not mine.exists():
        first = _apply(campaign, person, village, products=products, when=timezone.now() - timedelta(days=6))
        withdraw_application(application=first, by=person)
    if not mine.exclude(status=Status.WITHDRAWN).exists():
        _apply(campaign, person, village, products=products, when=timezone.now() - timedelta(days=2))

    # 王建军 has started an application and saved it as a draft.
    email, name, village_code, _status = OTHER_APPLICANTS[3]
    village = Village.objects.get(code=village_code)
    person = _person(email, name, village)
    if not person.application_drafts.filter(campaign=campaign).exists():
        save_draft(
            campaign=campaign,
            applicant=person,
            data={
                "real_name": [name],
                "village": [str(village.pk)],
                "products": [str(p.pk) for p in products],
                "products_note": ["腊肉200斤"],
                "online_experience": [Application.Experience.SOME],
            },
        )
