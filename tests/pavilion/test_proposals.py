"""Merchants propose a product; the office accepts (a draft page) or rejects with a reason,
and the proposer is notified."""

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Notification
from incubator.pavilion import services
from incubator.pavilion.models import PavilionProductPage, ProductProposal
from tests.factories import OfficeFactory, ProductCategoryFactory, TraineeFactory, VillageFactory
from tests.merchants.factories import ShopFactory

from .factories import pavilion

pytestmark = pytest.mark.django_db


def propose(client, category, **data):
    values = {"name": "脐橙花蜜", "category": category.pk, "season": "4月", "story": "橙花开时采的蜜。"} | data
    return client.post(reverse("pavilion:propose"), values)


def test_a_signed_in_merchant_proposes_a_product(client):
    merchant = ShopFactory().owner
    category = ProductCategoryFactory()
    client.force_login(merchant)
    response = propose(client, category, village=VillageFactory().pk)
    assert response.status_code == 302
    proposal = ProductProposal.objects.get()
    assert (proposal.proposer, proposal.status) == (merchant, ProductProposal.Status.PENDING)
    assert "脐橙花蜜" in client.get(reverse("pavilion:my_proposals")).text


def test_only_a_merchant_with_a_shop_may_propose(client):
    trainee = TraineeFactory()
    client.force_login(trainee)
    response = propose(client, ProductCategoryFactory())
    assert response.status_code == 200 and not ProductProposal.objects.exists()
    with pytest.raises(PermissionDenied):
        services.propose_product(proposer=trainee, name="x", category=ProductCategoryFactory(), story="y")
    assert client.get(reverse("pavilion:propose")).status_code == 200


def test_bad_input_keeps_what_was_typed(client):
    client.force_login(ShopFactory().owner)
    response = propose(client, ProductCategoryFactory(), name="", story="很特别的故事")
    assert response.status_code == 200 and "很特别的故事" in response.text
    assert not ProductProposal.objects.exists()


def test_accepting_creates_a_draft_page_and_notifies():
    pavilion()
    village = VillageFactory()
    proposal = services.propose_product(
        proposer=ShopFactory().owner, name="脐橙花蜜", category=ProductCategoryFactory(), story="故事", village=village
    )
    accepted = services.accept_proposal(proposal=proposal, by=OfficeFactory())
    page = PavilionProductPage.objects.get(pk=accepted.page_id)
    assert not page.live and page.title == "脐橙花蜜" and page.story == "故事"
    assert list(page.origin_villages.all()) == [village] and list(page.origin_townships.all()) == [village.township]
    assert Notification.objects.filter(recipient=proposal.proposer, kind="pavilion_proposal_accepted").exists()
    with pytest.raises(ValidationError):
        services.accept_proposal(proposal=proposal, by=OfficeFactory())  # reviewed once


def test_rejecting_needs_a_reason_and_tells_the_proposer():
    proposal = services.propose_product(
        proposer=ShopFactory().owner, name="果干", category=ProductCategoryFactory(), story="故事"
    )
    with pytest.raises(ValidationError):
        services.reject_proposal(proposal=proposal, by=OfficeFactory(), reason="  ")
    services.reject_proposal(proposal=proposal, by=OfficeFactory(), reason="请先取得食品生产许可")
    proposal.refresh_from_db()
    assert proposal.status == ProductProposal.Status.REJECTED
    note = Notification.objects.get(recipient=proposal.proposer, kind="pavilion_proposal_rejected")
    assert "请先取得食品生产许可" in note.body


def test_the_office_reviews_in_the_admin(client, django_assert_max_num_queries):
    pavilion()
    category = ProductCategoryFactory()
    for n in range(3):
        services.propose_product(proposer=ShopFactory().owner, name=f"产品{n}", category=category, story="故事")
    client.force_login(OfficeFactory())
    with django_assert_max_num_queries(16) as captured:
        assert client.get(reverse("pavilion_admin:proposals")).status_code == 200
    before = len(captured)
    for n in range(5):
        services.propose_product(proposer=ShopFactory().owner, name=f"更多{n}", category=category, story="故事")
    with django_assert_max_num_queries(before):
        client.get(reverse("pavilion_admin:proposals"))
    first, second = ProductProposal.objects.order_by("pk")[:2]
    response = client.post(reverse("pavilion_admin:proposal", args=[first.pk]), {"action": "accept"})
    assert response.status_code == 302
    response = client.post(reverse("pavilion_admin:proposal", args=[second.pk]), {"action": "reject", "reason": ""})
    assert response.status_code == 200
    client.post(reverse("pavilion_admin:proposal", args=[second.pk]), {"action": "reject", "reason": "重复"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "accepted" and first.page is not None and second.status == "rejected"


def test_someone_else_cannot_review(client):
    proposal = services.propose_product(
        proposer=ShopFactory().owner, name="果干", category=ProductCategoryFactory(), story="故事"
    )
    client.force_login(proposal.proposer)
    client.post(reverse("pavilion_admin:proposal", args=[proposal.pk]), {"action": "accept"})
    proposal.refresh_from_db()
    assert proposal.status == ProductProposal.Status.PENDING
