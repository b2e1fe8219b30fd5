"""A small hand-written repository and labelled queries for the retrieval benchmark.

The queries are phrased the way a PM or tester would ask (behaviour, not
identifiers), so a keyword baseline cannot simply match function names.
Each query lists the ``file::symbol`` chunks that answer it.
"""

from __future__ import annotations

REPO: dict[str, str] = {
    "shop/cart.py": '''"""The shopping cart."""
from dataclasses import dataclass, field


@dataclass
class Cart:
    """Lines of (sku, quantity, unit price) for one customer."""
    lines: dict[str, tuple[int, float]] = field(default_factory=dict)


def add_item(cart: Cart, sku: str, qty: int, price: float) -> None:
    """Put qty units of sku in the cart, merging with an existing line."""
    old_qty, _ = cart.lines.get(sku, (0, price))
    cart.lines[sku] = (old_qty + qty, price)


def remove_item(cart: Cart, sku: str) -> None:
    """Drop a line from the cart; unknown skus are ignored."""
    cart.lines.pop(sku, None)


def cart_total(cart: Cart) -> float:
    """Sum of quantity times unit price over all lines."""
    return sum(q * p for q, p in cart.lines.values())


def apply_discount(total: float, code: str) -> float:
    """Percentage off for a promo code such as SAVE10; bad codes change nothing."""
    if code.startswith("SAVE") and code[4:].isdigit():
        return total * (1 - int(code[4:]) / 100)
    return total
''',
    "shop/inventory.py": '''"""Stock levels per warehouse."""

STOCK: dict[str, int] = {}


def restock(sku: str, qty: int) -> int:
    """Increase the units on hand after a delivery arrives."""
    STOCK[sku] = STOCK.get(sku, 0) + qty
    return STOCK[sku]


def reserve_stock(sku: str, qty: int) -> bool:
    """Hold units for an order; False when there are not enough on hand."""
    if STOCK.get(sku, 0) < qty:
        return False
    STOCK[sku] -= qty
    return True


def low_stock_report(threshold: int = 5) -> list[str]:
    """Skus whose units on hand fell below the threshold, for reordering."""
    return sorted(s for s, q in STOCK.items() if q < threshold)
''',
    "shop/pricing.py": '''"""Money arithmetic."""
from decimal import ROUND_HALF_UP, Decimal

RATES = {"EUR": 0.92, "GBP": 0.79}


def round_money(value: float) -> float:
    """Round to cents, halves away from zero, as accountants expect."""
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def tax_for_region(amount: float, region: str) -> float:
    """VAT or sales tax owed for a region code like 'DE' or 'CA'."""
    rate = {"DE": 0.19, "FR": 0.20, "CA": 0.0725}.get(region, 0.0)
    return round_money(amount * rate)


def convert_currency(amount: float, to: str) -> float:
    """Dollars into another currency at the configured exchange rate."""
    return round_money(amount * RATES[to])
''',
    "shop/users.py": '''"""Customer accounts."""
import hashlib
import os


def hash_password(password: str, salt: bytes | None = None) -> str:
    """Salted PBKDF2 digest so stored credentials are never plain text."""
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 100_000)
    return salt.hex() + ":" + digest.hex()


def verify_password(password: str, stored: str) -> bool:
    """Check a login attempt against the stored salted digest."""
    salt_hex, _ = stored.split(":")
    return hash_password(password, bytes.fromhex(salt_hex)) == stored


def create_account(email: str, password: str, db: dict) -> dict:
    """Register a new customer; refuses an email that is already taken."""
    if email in db:
        raise ValueError("email already registered")
    db[email] = {"email": email, "password": hash_password(password)}
    return db[email]


def send_welcome_email(email: str, outbox: list) -> None:
    """Queue the greeting message new customers receive after signing up."""
    outbox.append({"to": email, "subject": "Welcome to the shop"})
''',
    "shop/storage.py": '''"""Persistence on local disk."""
import json
import os
import tempfile


def load_json(path: str) -> dict:
    """Read a JSON document; a missing file is an empty document."""
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def save_atomic(path: str, data: dict) -> None:
    """Write to a temporary file then rename, so a crash never leaves half a file."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)


class Database:
    """A JSON file with schema versions."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.data = load_json(path)

    def migrate(self) -> None:
        """Upgrade old documents to the current schema version."""
        if self.data.get("version", 0) < 2:
            self.data["orders"] = self.data.pop("purchases", [])
            self.data["version"] = 2
        save_atomic(self.path, self.data)
''',
    "shop/http.py": '''"""Tiny HTTP helpers for the storefront API."""
import json
import time
from urllib.parse import parse_qs

_CALLS: dict[str, list[float]] = {}


def parse_query_string(qs: str) -> dict[str, str]:
    """Decode ?a=1&b=2 into a dict, keeping the first value of repeated keys."""
    return {k: v[0] for k, v in parse_qs(qs).items()}


def rate_limit(client: str, per_minute: int = 60) -> bool:
    """True while a client stays under its request quota for the last 60 seconds."""
    now = time.time()
    recent = [t for t in _CALLS.get(client, []) if now - t < 60]
    _CALLS[client] = recent + [now]
    return len(recent) < per_minute


def json_response(status: int, body: dict) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and an encoded JSON body for the web server."""
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()
''',
}

#: (query, relevant chunk ids as "file::symbol")
QUERIES: list[tuple[str, set[str]]] = [
    ("how much does the customer pay for everything in the basket", {"shop/cart.py::cart_total"}),
    ("promo code gives a percentage off", {"shop/cart.py::apply_discount"}),
    ("take a product out of the basket", {"shop/cart.py::remove_item"}),
    (
        "which products need reordering because we are running out",
        {"shop/inventory.py::low_stock_report"},
    ),
    ("a delivery from the supplier arrived", {"shop/inventory.py::restock"}),
    ("hold units for an order so nobody else buys them", {"shop/inventory.py::reserve_stock"}),
    ("round amounts to cents", {"shop/pricing.py::round_money"}),
    ("VAT owed in Germany", {"shop/pricing.py::tax_for_region"}),
    ("show prices in euros or pounds", {"shop/pricing.py::convert_currency"}),
    ("store credentials securely, never in plain text", {"shop/users.py::hash_password"}),
    ("check the login attempt", {"shop/users.py::verify_password"}),
    ("sign up refuses an email that is already used", {"shop/users.py::create_account"}),
    ("greeting message after registration", {"shop/users.py::send_welcome_email"}),
    ("a crash must never leave a half written file", {"shop/storage.py::save_atomic"}),
    ("upgrade old documents to the new schema version", {"shop/storage.py::Database"}),
    ("throttle clients that send too many requests", {"shop/http.py::rate_limit"}),
    ("decode url parameters", {"shop/http.py::parse_query_string"}),
    ("reply to the browser with json and the right content type", {"shop/http.py::json_response"}),
]
