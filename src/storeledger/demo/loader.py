"""Load the demo chain: master data in bulk, then ~90 days of history through the real
services: the central warehouse's purchasing (orders, receipts, a few returns: demo.purchasing)
and its payables (invoices, payments: demo.payables), transfers to the stores, stock-outs
standing in for sales, scraps, counts.

The history has its past dates: a simulated clock walks forward through the days. Services with
a back-dating parameter get its reading as `at`; for the others the clock stands in for
`django.utils.timezone.now` while the history runs (`Clock.patched`), so every posting,
document and transition carries the time it would have had in a real shop. Master data is
created now. Everything happens in one transaction."""

from __future__ import annotations

import datetime
import math
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from storeledger.accounts.models import UserScope
from storeledger.catalog.barcodes import gs1_check_digit
from storeledger.catalog.models import (
    Barcode,
    BarcodeKind,
    Brand,
    Category,
    Product,
    Sku,
    SkuUnit,
    Tracking,
    Unit,
)
from storeledger.catalog.pinyin import initials
from storeledger.demo import data, payables
from storeledger.finance.models import SupplierInvoice, SupplierPayment
from storeledger.inventory.models import (
    ReasonCode,
    StockBalance,
    StockCount,
    StockCountLine,
    StockDocument,
    StockDocumentKind,
    StockMove,
    Transfer,
)
from storeledger.inventory.reasons import ensure_standard_reasons
from storeledger.org.models import Company, Location, Store, Warehouse
from storeledger.partners.models import Customer, MemberLevel, PaymentMethod, Supplier
from storeledger.purchasing.models import (
    PurchaseOrder,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseRequest,
    PurchaseReturn,
    SupplierItem,
    SupplierPrice,
)

HEAD_OFFICE = "0000"
WEEKDAY_FACTOR = (0.85, 0.85, 0.9, 0.95, 1.1, 1.3, 1.25)  # Monday … Sunday
STORE_FACTOR = {"0001": 1.0, "0002": 1.3, "0003": 0.8}
# Each store is replenished from the central warehouse on two weekdays.
REPLENISH_DAYS = {"0001": (0, 3), "0002": (1, 4), "0003": (2, 5)}
# Where goods are put away in the central warehouse: category code prefix -> bin location.
PUT_AWAY = {
    "0101": "A-01-01",
    "0103": "A-01-02",
    "0104": "A-02-01",
    "0105": "A-02-01",
    "0106": "A-01-02",
    "0102": "B-01-01",
    "0107": "B-01-02",
    "03": "C-01-01",
    "02": "D-01-01",
}

BRAND_SUPPLIER = {
    "可口可乐": "S001",
    "农夫山泉": "S002",
    "怡宝": "S002",
    "百岁山": "S002",
    "伊利": "S003",
    "旺旺": "S003",
    "蒙牛": "S004",
    "光明": "S004",
    "君乐宝": "S004",
    "养乐多": "S004",
    "康师傅": "S005",
    "百事": "S005",
    "统一": "S006",
}
CATEGORY_SUPPLIER = {
    "0101": "S009",
    "0102": "S004",
    "0103": "S009",
    "0104": "S007",
    "0105": "S008",
    "0106": "S009",
    "0107": "S010",
    "0301": "S011",
    "0302": "S012",
    "0303": "S013",
    "0304": "S014",
    "02": "S015",
}


@dataclass(frozen=True)
class Size:
    days: int = 90
    sku_step: int = 1  # take every n-th product of each list
    members: int = 50
    demand_scale: float = 0.45  # multiplies the sales rates of data.py


FULL = Size()
SMALL = Size(days=12, sku_step=9, members=8, demand_scale=1.0)


@dataclass
class DemoSku:
    sku: Sku
    rate: float
    shelf_life: int | None
    case_factor: int | None
    supplier: str
    purchase: Decimal
    kg: bool
    category: str = ""


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    start: datetime.date | None = None
    end: datetime.date | None = None


def is_loaded() -> bool:
    return Store.objects.filter(code=HEAD_OFFICE, is_head_office=True).exists()


def has_other_data() -> bool:
    """True if the database holds stores or SKUs that are not the demo's."""
    return Store.objects.exists() or Sku.objects.exists()


# ---------------------------------------------------------------- simulated clock


class Clock:
    """A clock that only moves forward; every reading is 1 ms after the previous one so
    postings keep their order (the ledger refuses a posting dated before a balance's last)."""

    def __init__(self, start: datetime.datetime) -> None:
        self.current = start

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> None:
        tz = timezone.get_default_timezone()
        moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)
        self.current = max(self.current, moment)

    def now(self) -> datetime.datetime:
        self.current += datetime.timedelta(milliseconds=1)
        return self.current.astimezone(datetime.UTC)

    @contextmanager
    def patched(self) -> Iterator[Clock]:
        """While the block runs, `django.utils.timezone.now` (and so `localdate`, the
        documents' date defaults and every service that stamps "now") reads this clock: the
        services without an `at` parameter back-date too. Only for the demo loader's own
        process (a management command), never in a server."""
        real = timezone.now
        timezone.now = self.now
        try:
            yield self
        finally:
            timezone.now = real


# ---------------------------------------------------------------- master data


def _ean13(country: int, manufacturer: int, item: int) -> str:
    body = f"{country:03d}{manufacturer:04d}{item:05d}"
    return body + str(gs1_check_digit(body))


def demand_quantity(value: float) -> Decimal:
    """A quantity derived from the demo's demand rates (floats: statistics, not stock) as a
    Decimal at four places, so the reorder heuristics compare and add stock in Decimal."""
    return Decimal(str(round(value, 4)))


def _money(value: Decimal | float | str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _member_price(retail: Decimal) -> Decimal:
    return (retail * Decimal("0.95")).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class MasterData:
    def __init__(self, size: Size, rng: random.Random, start: datetime.date | None = None) -> None:
        self.size = size
        self.rng = rng
        self.start = start or timezone.localdate() - datetime.timedelta(days=size.days)
        self.stores: dict[str, Store] = {}
        self.warehouses: dict[str, Warehouse] = {}  # store code -> warehouse; "central"
        self.locations: dict[int, list[Location]] = {}
        self.units: dict[str, Unit] = {}
        self.categories: dict[str, Category] = {}
        self.brands: dict[str, Brand] = {}
        self.skus: list[DemoSku] = []
        self.users: dict[str, User] = {}
        self.reasons: dict[tuple[str, str], ReasonCode] = {}

    def load(self) -> None:
        self._company_and_stores()
        self._catalog_basics()
        self._products()
        self._partners()
        self._supplier_items()
        self._users()
        self._reasons()
        self._approval_rules()

    def _approval_rules(self) -> None:
        """Two levels for purchase orders (issue 12): the store manager above ¥5,000, head
        office as well above ¥50,000 (purchasing.approvals.TWO_LEVELS)."""
        from storeledger.purchasing.approvals import create_two_level_rules

        create_two_level_rules()

    def _company_and_stores(self) -> None:
        company = Company.current()
        for key, value in data.COMPANY.items():
            setattr(company, key, value)
        company.allow_negative_stock = False
        company.save()
        for code, name, head, address, phone, manager in data.STORES:
            self.stores[code] = Store.objects.create(
                code=code,
                name=name,
                is_head_office=head,
                address=address,
                phone=phone,
                manager=manager,
            )
        code, name, address = data.CENTRAL_WAREHOUSE
        self.warehouses["central"] = Warehouse.objects.create(
            code=code, name=name, store=None, address=address
        )
        for store_code, (code, name) in data.STORE_WAREHOUSES.items():
            store = self.stores[store_code]
            self.warehouses[store_code] = Warehouse.objects.create(
                code=code, name=name, store=store, address=store.address
            )
        rows = []
        for key, warehouse in self.warehouses.items():
            bins = data.CENTRAL_LOCATIONS if key == "central" else data.STORE_LOCATIONS
            rows += [Location(warehouse=warehouse, code=c, name=n) for c, n in bins]
        for location in Location.objects.bulk_create(rows):
            self.locations.setdefault(location.warehouse_id, []).append(location)

    def _catalog_basics(self) -> None:
        existing = {u.code: u for u in Unit.objects.all()}
        for code, name, places in data.UNITS:
            unit = existing.get(code) or Unit.objects.create(code=code, name=name, precision=places)
            self.units[code] = unit
        for order, (code, name, parent_code) in enumerate(data.CATEGORIES):
            parent = self.categories[parent_code] if parent_code else None
            category = Category.objects.create(
                code=code, name=name, parent=parent, sort_order=order
            )
            category.path = f"{parent.path if parent else '/'}{category.pk}/"
            Category.objects.filter(pk=category.pk).update(path=category.path)
            self.categories[code] = category
        names = sorted(
            {i.brand for i in data.GROCERY + data.HOUSEHOLD} | {s.brand for s in data.APPAREL}
        )
        brands = Brand.objects.bulk_create(
            [Brand(code=f"B{n:03d}", name=name) for n, name in enumerate(names, start=1)]
        )
        self.brands = {b.name: b for b in brands}

    def _supplier_for(self, brand: str, category: str) -> str:
        return (
            BRAND_SUPPLIER.get(brand)
            or CATEGORY_SUPPLIER.get(category)
            or CATEGORY_SUPPLIER[category[:2]]
        )

    def _products(self) -> None:
        step = self.size.sku_step
        brand_index = {name: n for n, name in enumerate(sorted(self.brands))}
        next_item: dict[str, int] = defaultdict(lambda: 10001)

        def barcode(brand: str) -> str:
            n = brand_index[brand]
            item = next_item[brand]
            next_item[brand] += 1
            return _ean13(690 + n % 10, 1000 + n * 7, item)

        products: list[Product] = []
        sku_rows: list[tuple[Sku, dict]] = []
        singles = [("FD", i) for i in data.GROCERY[::step]] + [
            ("HG", i) for i in data.HOUSEHOLD[::step]
        ]
        counters: dict[str, int] = defaultdict(int)
        for prefix, item in singles:
            counters[prefix] += 1
            code = f"{prefix}{counters[prefix]:04d}"
            tracked = item.shelf_life is not None
            product = Product(
                code=code,
                name=item.name,
                name_initials=initials(item.name),
                category=self.categories[item.category],
                brand=self.brands[item.brand],
                base_unit=self.units[item.unit],
                tracking=Tracking.BATCH if tracked else Tracking.NONE,
                shelf_life_days=item.shelf_life,
                tax_rate=Decimal("0.09") if item.category == "0107" else Decimal("0.13"),
            )
            products.append(product)
            retail = Decimal(item.retail)
            rate = item.rate * self.size.demand_scale
            sku = Sku(
                code=code,
                name=item.name,
                name_initials=initials(item.name),
                spec=item.spec,
                purchase_price=Decimal(item.purchase),
                retail_price=retail,
                member_price=_member_price(retail),
                safety_stock=Decimal(math.ceil(rate * 3)),
                max_stock=Decimal(math.ceil(rate * 14) + 2),
            )
            meta = {
                "product": product,
                "rate": rate,
                "shelf": item.shelf_life,
                "case": item.case,
                "supplier": self._supplier_for(item.brand, item.category),
                "brand": item.brand,
                "kg": item.unit == "kg",
                "category": item.category,
            }
            sku_rows.append((sku, meta))
        for style in data.APPAREL[::step]:
            product = Product(
                code=style.code,
                name=style.name,
                name_initials=initials(style.name),
                category=self.categories[style.category],
                brand=self.brands[style.brand],
                base_unit=self.units[style.unit],
                description="纯棉面料，版型经典" if "T恤" in style.name else "",
            )
            products.append(product)
            for colour in style.colours:
                for size in style.sizes:
                    name = f"{style.name} {colour} {size}"
                    retail = Decimal(style.retail)
                    sku = Sku(
                        code=f"{style.code}-{data.COLOUR_CODES[colour]}-{size}",
                        name=name,
                        name_initials=initials(name),
                        spec=f"{colour}/{size}",
                        attributes={"颜色": colour, "尺码": size},
                        purchase_price=Decimal(style.purchase),
                        retail_price=retail,
                        member_price=_member_price(retail),
                        safety_stock=Decimal(1),
                        max_stock=Decimal(6),
                    )
                    meta = {
                        "product": product,
                        "rate": style.rate * self.size.demand_scale,
                        "shelf": None,
                        "case": None,
                        "supplier": self._supplier_for(style.brand, style.category),
                        "brand": style.brand,
                        "kg": False,
                        "category": style.category,
                    }
                    sku_rows.append((sku, meta))
        Product.objects.bulk_create(products)
        for sku, meta in sku_rows:
            sku.product = meta["product"]
        Sku.objects.bulk_create([s for s, _m in sku_rows])

        case_unit = self.units["box"]
        units, barcodes = [], []
        for sku, meta in sku_rows:
            barcodes.append(
                Barcode(
                    sku=sku, code=barcode(meta["brand"]), kind=BarcodeKind.EAN13, is_primary=True
                )
            )
            if meta["case"]:
                factor = Decimal(meta["case"])
                units.append(
                    SkuUnit(
                        sku=sku,
                        unit=case_unit,
                        factor=factor,
                        retail_price=_money(sku.retail_price * factor * Decimal("0.95")),
                    )
                )
                barcodes.append(
                    Barcode(
                        sku=sku,
                        unit=case_unit,
                        code=barcode(meta["brand"]),
                        kind=BarcodeKind.EAN13,
                    )
                )
            self.skus.append(
                DemoSku(
                    sku=sku,
                    rate=meta["rate"],
                    shelf_life=meta["shelf"],
                    case_factor=meta["case"],
                    supplier=meta["supplier"],
                    purchase=sku.purchase_price,
                    kg=meta["kg"],
                    category=meta["category"],
                )
            )
        SkuUnit.objects.bulk_create(units)
        Barcode.objects.bulk_create(barcodes)

    def _partners(self) -> None:
        suppliers = [
            Supplier(
                code=code,
                name=name,
                name_initials=initials(name),
                contact=contact,
                phone=phone,
                payment_terms_days=terms,
                lead_time_days=lead,
                address=address,
                email=f"sales{code[1:]}@example.com",
                tax_number=f"91310000MA1K{int(code[1:]):06d}",
                bank_account=f"6222 0210 0100 {int(code[1:]):04d}",
                # the market stall is paid in cash, the big brands partly by acceptance bill
                payment_method=(
                    PaymentMethod.CASH
                    if terms == 0
                    else PaymentMethod.ACCEPTANCE_BILL
                    if terms >= 60
                    else PaymentMethod.BANK_TRANSFER
                ),
                contract_start=datetime.date(self.start.year, 1, 1),
                contract_end=datetime.date(self.start.year + 1, 12, 31),
            )
            for code, name, contact, phone, terms, lead, address in data.SUPPLIERS
        ]
        Supplier.objects.bulk_create(suppliers)
        levels = {
            code: MemberLevel(code=code, name=name, discount=Decimal(discount))
            for code, name, discount in data.MEMBER_LEVELS
        }
        MemberLevel.objects.bulk_create(levels.values())
        rng = self.rng
        customers = []
        used_names: set[str] = set()
        for n in range(1, self.size.members + 1):
            name = rng.choice(data.SURNAMES) + rng.choice(data.GIVEN_NAMES)
            while name in used_names:
                name = rng.choice(data.SURNAMES) + rng.choice(data.GIVEN_NAMES)
            used_names.add(name)
            level = rng.choices(["REG", "SILVER", "GOLD", "DIAMOND"], [50, 25, 18, 7])[0]
            phone = f"1{rng.choice('3578')}{rng.randrange(10)} {rng.randrange(10000):04d} {rng.randrange(10000):04d}"
            customers.append(
                Customer(
                    code=f"M{n:04d}",
                    name=name,
                    name_initials=initials(name),
                    contact=name,
                    phone=phone,
                    address=f"上海市{rng.choice(data.STREETS)} {rng.randrange(1, 1200)} 弄",
                    member_level=levels[level],
                    member_card_no=f"XS{20240000 + n * 37:08d}",
                )
            )
        for code, name, contact, phone, terms, limit in data.CORPORATE_CUSTOMERS:
            customers.append(
                Customer(
                    code=code,
                    name=name,
                    name_initials=initials(name),
                    contact=contact,
                    phone=phone,
                    payment_terms_days=terms,
                    credit_limit=Decimal(limit),
                )
            )
        Customer.objects.bulk_create(customers)

    def _supplier_items(self) -> None:
        """The supplier catalogue: each SKU from the supplier that delivers it (preferred, by
        the case where it has one, at the SKU's purchase price), every third one with an
        earlier, slightly lower price in its history, every fourth also offered a few per cent
        dearer by another supplier of the same kind of goods."""
        rng = self.rng
        suppliers = {s.code: s for s in Supplier.objects.all()}
        by_kind: dict[str, set[str]] = defaultdict(
            set
        )  # subcategory (饮料, 乳制品, ...) -> its suppliers
        for item in self.skus:
            by_kind[item.category[:4]].add(item.supplier)
        first_day = self.start - datetime.timedelta(days=120)
        change_day = self.start + datetime.timedelta(days=self.size.days // 3)
        items: list[SupplierItem] = []
        earlier: dict[int, Decimal] = {}  # index in items -> the price before the change
        for index, item in enumerate(self.skus):
            factor = Decimal(item.case_factor or 1)
            unit = self.units["box"] if item.case_factor else item.sku.product.base_unit
            price = _money(item.purchase * factor)
            changed = index % 3 == 0
            items.append(
                SupplierItem(
                    supplier=suppliers[item.supplier],
                    sku=item.sku,
                    item_code=f"{item.supplier}-{index + 1:04d}",
                    purchase_unit=unit,
                    pack_size=factor,
                    price=price,
                    price_valid_from=change_day if changed else first_day,
                    min_order_qty=Decimal(2 if item.case_factor else 0),
                    preferred=True,
                )
            )
            if changed:
                earlier[len(items) - 1] = _money(
                    price * Decimal(rng.choice(["0.95", "0.96", "0.97"]))
                )
            # a second supplier only where another supplier of the same kind of goods exists
            rivals = sorted(by_kind[item.category[:4]] - {item.supplier})
            if index % 4 == 1 and rivals:
                other = rivals[index % len(rivals)]
                base = item.sku.product.base_unit
                markup = Decimal(rng.choice(["1.03", "1.05", "1.08"]))
                items.append(
                    SupplierItem(
                        supplier=suppliers[other],
                        sku=item.sku,
                        purchase_unit=base,
                        pack_size=Decimal(1),
                        price=_money(item.purchase * markup),
                        price_valid_from=first_day,
                        lead_time_days=suppliers[other].lead_time_days + 2,
                    )
                )
        SupplierItem.objects.bulk_create(items)
        buyer_time = timezone.now()
        prices = []
        for index, row in enumerate(items):
            if index in earlier:
                prices.append(
                    SupplierPrice(
                        item=row,
                        price=earlier[index],
                        valid_from=first_day,
                        recorded_at=buyer_time,
                        note="年度合同价",
                    )
                )
            prices.append(
                SupplierPrice(
                    item=row,
                    price=row.price,
                    valid_from=row.price_valid_from,
                    recorded_at=buyer_time,
                    note="供应商调价" if index in earlier else "",
                )
            )
        SupplierPrice.objects.bulk_create(prices)

    def _users(self) -> None:
        groups = {g.name: g for g in Group.objects.all()}
        # One hash for the one documented demo password (hashing is slow by design).
        password = make_password(data.DEMO_PASSWORD)
        for username, first_name, role, stores, superuser in data.USERS:
            user = User.objects.create(
                username=username,
                email=f"{username}@demo.storeledger.local",
                password=password,
                first_name=first_name,
                is_staff=role == "admin",  # the Django admin is for administrators only
                is_superuser=superuser,
                date_joined=timezone.now(),
            )
            if role in groups:
                user.groups.add(groups[role])
            scope = UserScope.objects.create(user=user, all_stores=stores == "all")
            if stores != "all":
                scope.stores.set([self.stores[c] for c in stores])
            self.users[username] = user

    def _reasons(self) -> None:
        ensure_standard_reasons()
        for reason in ReasonCode.objects.all():
            self.reasons[(reason.kind, reason.code)] = reason


# ---------------------------------------------------------------- history


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class History:
    """Replays `days` days of a chain's life through the real services, oldest first."""

    def __init__(self, master: MasterData, clock: Clock, rng: random.Random, start) -> None:
        from storeledger.demo.purchasing import Buyer
        from storeledger.inventory.services import counts, documents, transfers

        self.docs, self.transfers, self.counts = documents, transfers, counts
        self.m = master
        self.clock = clock
        self.rng = rng
        self.start = start
        self.days = master.size.days
        self.central = master.warehouses["central"]
        self.store_codes = [c for c in data.STORE_WAREHOUSES if c in master.stores]
        self.by_id = {d.sku.id: d for d in master.skus}
        self.batch_seq: dict[int, int] = defaultdict(int)
        self.admin = master.users["admin"]
        self.keepers = {"0001": "keeper1", "0002": "keeper2", "0003": "keeper3"}
        self.box = master.units["box"]
        self.stats: dict[str, int] = defaultdict(int)
        self.store_factor = sum(STORE_FACTOR[c] for c in self.store_codes)
        self.buyer = Buyer(self)
        self.accounts = payables.Accounts(self, self.buyer)

    # ---- helpers

    def reason(self, kind: str, code: str) -> int:
        return self.m.reasons[(kind, code)].id

    def usable(self, warehouse: Warehouse, day: datetime.date) -> dict[int, Decimal]:
        """On hand per SKU that FEFO may issue on `day` (expired batches left out)."""
        out: dict[int, Decimal] = defaultdict(Decimal)
        rows = StockBalance.objects.filter(warehouse=warehouse, on_hand__gt=0).values_list(
            "sku_id", "on_hand", "reserved", "batch__expiry_date"
        )
        for sku_id, on_hand, reserved, expiry in rows:
            if expiry is None or expiry >= day:
                out[sku_id] += on_hand - reserved
        return out

    def demand(self, item: DemoSku, store: str, day: datetime.date) -> float:
        return item.rate * STORE_FACTOR[store] * WEEKDAY_FACTOR[day.weekday()]

    def new_batch(self, item: DemoSku, day: datetime.date) -> dict:
        self.batch_seq[item.sku.id] += 1
        shelf = item.shelf_life or 365
        age = self.rng.randint(0, max(1, min(20, shelf // 8)))
        produced = day - datetime.timedelta(days=age)
        return {
            "batch_no": f"{produced:%Y%m%d}-{self.batch_seq[item.sku.id]:02d}",
            "production_date": produced,
            "expiry_date": produced + datetime.timedelta(days=shelf),
        }

    def quantity_in_units(self, item: DemoSku, base: Decimal) -> tuple[Decimal, int | None]:
        """Whole cases when the SKU has a case unit and the quantity is worth a case."""
        if item.case_factor and base >= item.case_factor:
            cases = math.ceil(base / item.case_factor)
            return Decimal(cases), self.box.id
        return base, None

    # ---- central purchasing (demo.purchasing)

    def central_cover(self, item: DemoSku) -> float:
        return 21 if not item.shelf_life else min(21, item.shelf_life * 0.5)

    def opening(self, day: datetime.date) -> None:
        """The central warehouse's opening stock (期初库存), one stock-in per supplier of what
        it delivered before the history starts."""
        L = self.docs.StockLineInput
        bins = {loc.code: loc.id for loc in self.m.locations[self.central.id]}
        by_supplier: dict[str, list] = defaultdict(list)
        for item in self.m.skus:
            target = demand_quantity(item.rate * self.store_factor * self.central_cover(item) * 1.2)
            if item.kg:
                base = max(target, Decimal(5)).quantize(Decimal(1))
            else:
                base = Decimal(max(math.ceil(target), 4 if item.rate >= 0.1 else 2))
            quantity, unit_id = self.quantity_in_units(item, base)
            factor = item.case_factor if unit_id else 1
            noise = Decimal(str(round(self.rng.uniform(0.96, 1.04), 3)))
            batch = self.new_batch(item, day) if item.shelf_life else {}
            bin_code = PUT_AWAY.get(item.category) or PUT_AWAY[item.category[:2]]
            by_supplier[item.supplier].append(
                L(
                    location_id=bins[bin_code],
                    sku_id=item.sku.id,
                    quantity=quantity,
                    unit_id=unit_id,
                    unit_cost=_money(item.purchase * noise * factor),
                    **batch,
                )
            )
        suppliers = {s.code: s for s in Supplier.objects.all()}
        for code in sorted(by_supplier):
            self.clock.at(day, 6, 0)
            self.docs.create_and_post_stock_document(
                user=self.admin,
                kind=StockDocumentKind.STOCK_IN,
                warehouse_id=self.central.id,
                lines=by_supplier[code],
                reason_id=self.reason("stock_in", "OPENING"),
                document_date=day,
                reference=code,
                notes="期初库存 " + suppliers[code].name,
                at=self.clock.now(),
            )
            self.stats["stock_ins"] += 1

    # ---- replenishment transfers central → stores

    def store_cover(self, item: DemoSku) -> float:
        return 10 if not item.shelf_life else min(10, item.shelf_life / 3)

    def replenish(self, day: datetime.date, store: str, leave_in_transit: bool) -> None:
        warehouse = self.m.warehouses[store]
        have = self.usable(warehouse, day)
        central = self.usable(self.central, day)
        lines = []
        for item in self.m.skus:
            target = demand_quantity(item.rate * STORE_FACTOR[store] * (self.store_cover(item) + 1))
            minimum = 2 if item.rate >= 0.1 else 1
            current = have.get(item.sku.id, Decimal(0))
            if current >= max(target / 2, Decimal(minimum)):
                continue
            if item.kg:
                base = max(target - current, Decimal(2)).quantize(Decimal(1))
            else:
                base = Decimal(max(math.ceil(target - current), minimum))
            quantity, unit_id = self.quantity_in_units(item, base)
            base_needed = quantity * (item.case_factor if unit_id else 1)
            if central.get(item.sku.id, Decimal(0)) < base_needed:
                quantity, unit_id = min(base, central.get(item.sku.id, Decimal(0))), None
                if item.kg:
                    quantity = Decimal(int(quantity))
                if quantity <= 0:
                    continue
                base_needed = quantity
            central[item.sku.id] -= base_needed
            lines.append(
                self.transfers.TransferLineInput(
                    sku_id=item.sku.id, quantity=quantity, unit_id=unit_id
                )
            )
        if not lines:
            return
        self.clock.at(day, 7, 0)
        transfer = self.transfers.create_transfer(
            user=self.admin,
            from_warehouse_id=self.central.id,
            to_warehouse_id=warehouse.id,
            lines=lines,
            document_date=day,
            expected_date=day,
            notes="门店定期补货",
            at=self.clock.now(),
        )
        self.transfers.ship_transfer(user=self.admin, transfer_id=transfer.id, at=self.clock.now())
        self.stats["transfers"] += 1
        if leave_in_transit:
            return
        self.clock.at(day, 10, 30)
        received = []
        short = self.rng.random() < 0.15
        for n, line in enumerate(transfer.lines.order_by("line_no")):
            arrived = line.base_quantity
            if short and n == len(lines) // 2 and arrived >= 2:
                arrived -= 1
                self.stats["transfer_discrepancies"] += 1
            received.append(self.transfers.ReceiveLineInput(line_id=line.id, quantity=arrived))
        keeper = self.m.users[self.keepers[store]]
        self.transfers.receive_transfer(
            user=keeper, transfer_id=transfer.id, lines=received, close=True, at=self.clock.now()
        )

    # ---- daily stock-outs standing in for sales

    def sell(self, day: datetime.date, store: str) -> None:
        warehouse = self.m.warehouses[store]
        have = self.usable(warehouse, day)
        lines = []
        for item in self.m.skus:
            available = have.get(item.sku.id, Decimal(0))
            if available <= 0:
                continue
            lam = self.demand(item, store, day)
            if item.kg:
                wanted = Decimal(str(round(lam * self.rng.uniform(0.6, 1.4), 3)))
                quantity = min(wanted, available)
                if quantity <= Decimal("0.05"):
                    continue
            else:
                quantity = min(Decimal(_poisson(self.rng, lam)), available)
                if quantity <= 0:
                    continue
            lines.append(self.docs.StockLineInput(sku_id=item.sku.id, quantity=quantity))
        if not lines:
            return
        self.clock.at(day, 21, 30)
        self.docs.create_and_post_stock_document(
            user=self.m.users[self.keepers[store]],
            kind=StockDocumentKind.STOCK_OUT,
            warehouse_id=warehouse.id,
            lines=lines,
            reason_id=self.reason("stock_out", "SALE"),
            document_date=day,
            notes="当日销售汇总(临时，待 POS 上线)",
            at=self.clock.now(),
        )
        self.stats["sales_documents"] += 1
        self.stats["sales_lines"] += len(lines)

    # ---- scraps

    def scrap_expired(self, day: datetime.date, warehouse: Warehouse, user: User) -> None:
        rows = (
            StockBalance.objects.filter(
                warehouse=warehouse, on_hand__gt=0, batch__expiry_date__lt=day
            )
            .order_by("sku_id", "batch_id")
            .values_list("sku_id", "batch_id", "on_hand")
        )
        lines = [
            self.docs.StockLineInput(
                sku_id=sku_id, batch_id=batch_id, quantity=on_hand, allow_expired=True
            )
            for sku_id, batch_id, on_hand in rows
        ]
        if not lines:
            return
        self.clock.at(day, 22, 0)
        self.docs.create_and_post_stock_document(
            user=user,
            kind=StockDocumentKind.SCRAP,
            warehouse_id=warehouse.id,
            lines=lines,
            reason_id=self.reason("scrap", "EXPIRED"),
            document_date=day,
            notes="过期商品下架报损",
            at=self.clock.now(),
        )
        self.stats["scraps"] += 1

    def scrap_damaged(self, day: datetime.date, store: str) -> None:
        warehouse = self.m.warehouses[store]
        have = self.usable(warehouse, day)
        candidates = [d for d in self.m.skus if not d.kg and have.get(d.sku.id, 0) >= 3]
        if not candidates:
            return
        item = self.rng.choice(candidates)
        self.clock.at(day, 15, 0)
        self.docs.create_and_post_stock_document(
            user=self.m.users[self.keepers[store]],
            kind=StockDocumentKind.SCRAP,
            warehouse_id=warehouse.id,
            lines=[self.docs.StockLineInput(sku_id=item.sku.id, quantity=Decimal(1))],
            reason_id=self.reason("scrap", "DAMAGED"),
            document_date=day,
            notes="搬运破损",
            at=self.clock.now(),
        )
        self.stats["scraps"] += 1

    # ---- stock count

    def count(self, day: datetime.date, store: str) -> None:
        counts = self.counts
        warehouse = self.m.warehouses[store]
        user = self.m.users["manager1"] if store == "0001" else self.admin
        self.clock.at(day, 7, 30)
        count = counts.create_stock_count(
            user=user, warehouse_id=warehouse.id, notes="月度全盘", at=self.clock.now()
        )
        counts.start_stock_count(user=user, count_id=count.id, at=self.clock.now())
        self.clock.at(day, 8, 15)
        entries = []
        for line in StockCountLine.objects.filter(count=count).order_by("id"):
            counted = line.book_quantity
            if self.rng.random() < 0.06:
                item = self.by_id[line.sku_id]
                delta = (
                    Decimal(str(round(self.rng.uniform(-0.3, 0.2), 3)))
                    if item.kg
                    else Decimal(self.rng.choice([-2, -1, -1, -1, 1]))
                )
                counted = max(counted + delta, Decimal(0))
                self.stats["count_variances"] += 1
            entries.append(
                counts.CountEntryInput(quantity=counted, sku_id=line.sku_id, batch_id=line.batch_id)
            )
        if entries:
            counts.record_count(user=user, count_id=count.id, entries=entries, at=self.clock.now())
        counts.submit_stock_count(user=user, count_id=count.id, at=self.clock.now())
        count.refresh_from_db()
        if count.needs_approval:
            counts.approve_stock_count(user=self.admin, count_id=count.id, at=self.clock.now())
        counts.post_stock_count(user=user, count_id=count.id, at=self.clock.now())
        self.stats["stock_counts"] += 1

    # ---- the whole run

    def run(self) -> None:
        with self.clock.patched():
            for offset in range(self.days):
                self.day(offset)

    def day(self, offset: int) -> None:
        """One day of the chain, in the order of its hours."""
        day = self.start + datetime.timedelta(days=offset)
        last = offset == self.days - 1
        if offset == 0:
            self.opening(day)
        self.buyer.receive(day)
        for store in self.store_codes:
            # The last day's replenishment stays in transit (shipped, not yet received).
            if offset == 0 or last or day.weekday() in REPLENISH_DAYS[store]:
                self.replenish(day, store, leave_in_transit=last and offset > 0)
            if offset == self.days - 4:
                self.count(day, store)
            if offset % 13 == 7 and store == self.store_codes[offset % len(self.store_codes)]:
                self.scrap_damaged(day, store)
        self.buyer.order(day)
        self.accounts.run(day)
        for store in self.store_codes:
            self.sell(day, store)
        if day.weekday() == 6 or last:
            for store in self.store_codes:
                user = self.m.users[self.keepers[store]]
                self.scrap_expired(day, self.m.warehouses[store], user)
            self.scrap_expired(day, self.central, self.admin)
        if last:
            taken = self.awaiting_approval(day)
            self.transfer_awaiting_approval(day, taken)

    # ---- approvals

    def awaiting_approval(self, day: datetime.date) -> set[int]:
        """keeper1's large stock-out of the last evening, submitted and waiting for manager1
        (the built-in rule: above ¥2,000 the store manager approves): 待审批 is not empty.
        The SKUs it takes."""
        store = self.store_codes[0]
        warehouse = self.m.warehouses[store]
        balances = (
            StockBalance.objects.filter(warehouse=warehouse, on_hand__gt=0)
            .exclude(batch__expiry_date__lt=day)
            .order_by("-value", "id")
            .values_list("sku_id", "batch_id", "on_hand", "value")
        )
        lines, total = [], Decimal(0)
        for sku_id, batch_id, on_hand, value in balances:
            if total > Decimal(2500):
                break
            quantity = on_hand.to_integral_value(rounding=ROUND_FLOOR)
            if quantity <= 0:
                continue
            lines.append(
                self.docs.StockLineInput(sku_id=sku_id, quantity=quantity, batch_id=batch_id)
            )
            total += value / on_hand * quantity
        if total <= Decimal(2000):
            return set()
        keeper = self.m.users[self.keepers[store]]
        self.clock.at(day, 22, 0)
        document = self.docs.create_stock_document(
            user=keeper,
            kind=StockDocumentKind.STOCK_OUT,
            warehouse_id=warehouse.id,
            lines=lines,
            document_date=day,
            notes="门店间借货(待店长审批)",
            at=self.clock.now(),
        )
        self.docs.submit_stock_document(user=keeper, document_id=document.id, at=self.clock.now())
        self.stats["awaiting_approval"] += 1
        return {line.sku_id for line in lines}

    def transfer_awaiting_approval(self, day: datetime.date, taken: set[int]) -> None:
        """keeper1 lends the next store a few units of three SKUs the stock-out above does not
        take, and submits it: a transfer in manager1's 待审批 (no rule matches: whoever may
        approve transfers in the sending store decides it)."""
        source, destination = self.store_codes[0], self.store_codes[1]
        have = self.usable(self.m.warehouses[source], day)
        lines = [
            self.transfers.TransferLineInput(sku_id=item.sku.id, quantity=Decimal(2))
            for item in self.m.skus
            if not item.kg and item.sku.id not in taken and have.get(item.sku.id, 0) >= 6
        ][:3]
        if not lines:
            return
        keeper = self.m.users[self.keepers[source]]
        self.clock.at(day, 22, 10)
        transfer = self.transfers.create_transfer(
            user=keeper,
            from_warehouse_id=self.m.warehouses[source].id,
            to_warehouse_id=self.m.warehouses[destination].id,
            lines=lines,
            document_date=day,
            expected_date=day + datetime.timedelta(days=1),
            notes="门店间调剂(待店长审批)",
            at=self.clock.now(),
        )
        self.transfers.submit_transfer(user=keeper, transfer_id=transfer.id, at=self.clock.now())
        self.stats["transfers_awaiting_approval"] += 1


# ---------------------------------------------------------------- entry point


def load(size: Size = FULL, *, seed: int = 20261129, today: datetime.date | None = None) -> Summary:
    """Load the demo into an empty database (the caller checks `is_loaded` first)."""
    started = time.monotonic()
    rng = random.Random(seed)
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=size.days)
    tz = timezone.get_default_timezone()
    clock = Clock(
        datetime.datetime.combine(
            start - datetime.timedelta(days=1), datetime.time(9, 0), tzinfo=tz
        )
    )
    with transaction.atomic():
        master = MasterData(size, rng, start)
        master.load()
        History(master, clock, rng, start).run()
        purchase_orders(master, today)
        payables.load(master, today)
        purchase_returns(master)
        purchase_requests(master, today)
    summary = Summary(start=start, end=today - datetime.timedelta(days=1))
    summary.counts = counts()
    summary.seconds = time.monotonic() - started
    return summary


# The states the demo's purchase orders are left in, one order per supplier.
ORDER_STATES = (
    "draft",
    "submitted",
    "approved",
    "sent",
    "partially_received",
    "received",
    "closed",
)


def purchase_orders(master: MasterData, today: datetime.date) -> None:
    """Purchase orders of store 0001 to its suppliers, through the real services: the buyer
    writes them (catalogue units and prices), the store manager approves, the keeper receives
    (batch numbers for batch-tracked SKUs) — one order in each state of the life cycle."""
    from storeledger.purchasing.services import orders, receipts

    store = master.stores.get("0001")
    if store is None:
        return
    warehouse = Warehouse.objects.filter(store=store, kind="normal").order_by("id").first()
    users = master.users
    buyer, manager, keeper = users["buyer1"], users["manager1"], users["keeper1"]
    by_supplier: dict[int, list[SupplierItem]] = defaultdict(list)
    items = SupplierItem.objects.filter(preferred=True, active=True).select_related(
        "sku__product", "supplier"
    )
    for item in items.order_by("supplier__code", "sku__code"):
        by_supplier[item.supplier_id].append(item)
    suppliers = [group for group in by_supplier.values() if len(group) >= 2]
    for state, group in zip(ORDER_STATES, suppliers, strict=False):
        picked = group[:3]
        order = orders.create_purchase_order(
            user=buyer,
            supplier_id=picked[0].supplier_id,
            warehouse_id=warehouse.id,
            expected_date=today + datetime.timedelta(days=picked[0].effective_lead_time_days),
            lines=[
                orders.OrderLineInput(sku_id=item.sku_id, quantity=Decimal(2 + index))
                for index, item in enumerate(picked)
            ],
        )
        if state == "draft":
            continue
        orders.submit_purchase_order(user=buyer, order_id=order.id)
        if state == "submitted":
            continue
        orders.approve_purchase_order(user=manager, order_id=order.id)
        if state == "approved":
            continue
        orders.send_purchase_order(user=buyer, order_id=order.id)
        if state == "sent":
            continue
        lines = list(order.lines.select_related("sku__product").order_by("line_no"))
        if state in ("partially_received", "closed"):
            lines = lines[:1]  # the rest is still expected (closed: no longer)
        batch = {"batch_no": f"{today:%Y%m%d}-CG{order.id}", "production_date": today}
        receipts.create_purchase_receipt(
            user=keeper,
            order_id=order.id,
            reference=f"送货单 {order.id:04d}",
            post=True,
            lines=[
                receipts.ReceiptLineInput(
                    order_line_id=line.id,
                    quantity=line.quantity,
                    **(batch if line.sku.product.tracking == Tracking.BATCH else {}),
                )
                for line in lines
            ],
        )
        if state == "closed":
            orders.close_purchase_order(user=buyer, order_id=order.id, reason="供应商缺货")
    large_orders_awaiting_approval(master, warehouse, suppliers, today)


# Large orders left waiting in 待审批 (purchasing.approvals.TWO_LEVELS): one above ¥5,000 at
# the store manager, one above ¥50,000 that the store manager approved, now at head office.
AWAITING = (("store_manager", Decimal("8000")), ("head_office", Decimal("60000")))


def large_orders_awaiting_approval(
    master: MasterData, warehouse: Warehouse, suppliers: list[list], today: datetime.date
) -> None:
    from storeledger.purchasing.services import orders

    buyer, manager = master.users["buyer1"], master.users["manager1"]
    for index, (level, target) in enumerate(AWAITING):
        if not suppliers:
            return
        picked = suppliers[index % len(suppliers)][:3]
        each = target / len(picked)
        order = orders.create_purchase_order(
            user=buyer,
            supplier_id=picked[0].supplier_id,
            warehouse_id=warehouse.id,
            expected_date=today + datetime.timedelta(days=picked[0].effective_lead_time_days),
            reference="大促备货",
            lines=[
                orders.OrderLineInput(
                    sku_id=item.sku_id, quantity=Decimal(math.ceil(each / item.price))
                )
                for item in picked
            ],
        )
        orders.submit_purchase_order(user=buyer, order_id=order.id)
        if level == "head_office":
            orders.approve_purchase_order(user=manager, order_id=order.id)


def purchase_returns(master: MasterData) -> None:
    """Returns of store 0001's received goods through the real services: keeper1 sends back
    one unit of each of three receipt lines — one posted (a debit note), one submitted and
    waiting, one posted and then reversed (红冲) by manager1."""
    from storeledger.purchasing.services import returns

    users = master.users
    manager, keeper = users.get("manager1"), users.get("keeper1")
    if manager is None or keeper is None:
        return
    lines = list(
        PurchaseReceiptLine.objects.filter(
            receipt__status="posted", receipt__store__code="0001", base_quantity__gte=2
        )
        .select_related("receipt", "sku__product")
        .order_by("receipt_id", "line_no")[:3]
    )
    if not lines:
        return
    reasons = ["包装破损", "临近保质期", "错发规格"]
    for index, reason in enumerate(reasons):
        line = lines[index % len(lines)]  # the small demo has a single received line
        document = returns.create_purchase_return(
            user=keeper,
            receipt_id=line.receipt_id,
            reason=reason,
            lines=[
                returns.ReturnLineInput(
                    receipt_line_id=line.id,
                    quantity=Decimal(1),
                    unit_id=line.sku.product.base_unit_id,  # one piece, not one case
                )
            ],
        )
        if index == 1:
            returns.submit_purchase_return(user=keeper, return_id=document.id)
            continue
        returns.post_purchase_return(user=keeper, return_id=document.id)
        if index == 2:
            returns.reverse_purchase_return(
                user=manager, return_id=document.id, notes="供应商拒收退货，货物已收回"
            )


def purchase_requests(master: MasterData, today: datetime.date) -> None:
    """keeper1 asks for goods for store 0001: a draft, a submitted and an approved request
    waiting for the buyer, and two approved requests that buyer1 consolidated into draft
    orders grouped by preferred supplier."""
    from storeledger.purchasing.services import requests

    store = master.stores.get("0001")
    users = master.users
    manager, keeper, buyer = users.get("manager1"), users.get("keeper1"), users.get("buyer1")
    if store is None or manager is None or keeper is None or buyer is None:
        return
    warehouse = Warehouse.objects.filter(store=store, kind="normal").order_by("id").first()
    items = list(
        SupplierItem.objects.filter(preferred=True, active=True)
        .order_by("sku__code")
        .values_list("sku_id", flat=True)[:10]
    )
    if len(items) < 10 or warehouse is None:
        return
    needed = today + datetime.timedelta(days=7)
    made = []
    for index in range(5):
        skus = items[index * 2 : index * 2 + 2] + items[:1]
        document = requests.create_purchase_request(
            user=keeper,
            warehouse_id=warehouse.id,
            needed_by=needed + datetime.timedelta(days=index),
            notes="周末促销备货" if index % 2 else "",
            lines=[
                requests.RequestLineInput(sku_id=sku, quantity=Decimal(6 + 6 * position))
                for position, sku in enumerate(dict.fromkeys(skus))
            ],
        )
        made.append(document)
        if index == 0:
            continue
        requests.submit_purchase_request(user=keeper, request_id=document.id)
        if index == 1:
            continue
        requests.approve_purchase_request(user=manager, request_id=document.id)
    requests.consolidate_purchase_requests(user=buyer, request_ids=[made[3].id, made[4].id])


def counts() -> dict[str, int]:
    return {
        "stores": Store.objects.count(),
        "warehouses": Warehouse.objects.filter(kind="normal").count(),
        "locations": Location.objects.count(),
        "categories": Category.objects.count(),
        "brands": Brand.objects.count(),
        "products": Product.objects.count(),
        "skus": Sku.objects.count(),
        "batch-tracked skus": Sku.objects.filter(product__tracking=Tracking.BATCH).count(),
        "barcodes": Barcode.objects.count(),
        "suppliers": Supplier.objects.count(),
        "supplier items": SupplierItem.objects.count(),
        "purchase orders": PurchaseOrder.objects.count(),
        "purchase receipts": PurchaseReceipt.objects.count(),
        "supplier invoices": SupplierInvoice.objects.count(),
        "supplier payments": SupplierPayment.objects.count(),
        "purchase returns": PurchaseReturn.objects.count(),
        "purchase requests": PurchaseRequest.objects.count(),
        "customers": Customer.objects.count(),
        "members": Customer.objects.filter(member_level__isnull=False).count(),
        "users": User.objects.count(),
        "stock documents": StockDocument.objects.count(),
        "transfers": Transfer.objects.count(),
        "transfers in transit": Transfer.objects.filter(
            Q(status="shipped") | Q(status="partially_received")
        ).count(),
        "stock counts": StockCount.objects.count(),
        "stock moves": StockMove.objects.count(),
        "stock balances": StockBalance.objects.count(),
    }
