"""End-to-end: a draft transfer offers "Edit" and "Delete draft" only to the sending store's
users — as the API decides (the receiving store's requests are refused with 403). Before, the
receiving store's keeper saw both buttons on the draft and got an error on use."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(shop):
    from storeledger.inventory.services import transfers as svc
    from storeledger.testing import factories

    juice = factories.sku(code="JUICE", name="橙汁 1L", base_unit=shop["unit"])
    other_store = factories.store("0002", name="二号店")
    other = factories.warehouse(other_store, code="WH02", name="二号店仓库")
    factories.user(
        "sender", roles=("warehouse_keeper",), stores=(shop["store"],), password=PASSWORD
    )
    factories.user(
        "receiver", roles=("warehouse_keeper",), stores=(other_store,), password=PASSWORD
    )
    return svc.create_transfer(
        user=shop["user"],
        from_warehouse_id=shop["warehouse"].pk,
        to_warehouse_id=other.pk,
        lines=[svc.TransferLineInput(sku_id=juice.pk, quantity=Decimal(4))],
    )


def test_only_the_sending_store_may_edit_or_delete_a_draft_transfer(live_server, draft, open_page):
    receiver = open_page()
    login(receiver, live_server.url, "receiver")
    receiver.goto(f"{live_server.url}/inventory/transfers/{draft.pk}")
    expect(receiver.get_by_test_id("doc-status")).to_have_text("草稿")
    expect(receiver.get_by_text("二号店仓库").first).to_be_visible()
    expect(receiver.get_by_test_id("draft-edit")).to_have_count(0)
    expect(receiver.get_by_test_id("draft-delete")).to_have_count(0)
    # the API refuses the receiving side indeed
    refused = receiver.evaluate(
        """async (id) => {
            const csrf = document.cookie.split('; ').find((c) => c.startsWith('csrftoken='))?.split('=')[1];
            const r = await fetch(`/api/v1/transfers/${id}/`, {method: 'DELETE', headers: {'X-CSRFToken': csrf}});
            return r.status;
        }""",
        draft.pk,
    )
    assert refused == 403

    sender = open_page()
    login(sender, live_server.url, "sender")
    sender.goto(f"{live_server.url}/inventory/transfers/{draft.pk}")
    expect(sender.get_by_test_id("doc-status")).to_have_text("草稿")
    expect(sender.get_by_test_id("draft-edit")).to_be_visible()
    expect(sender.get_by_test_id("draft-delete")).to_be_visible()
    assert receiver.js_errors == [] and sender.js_errors == []
