#!/usr/bin/env python3
"""Generates the example order exports in orders/ (one CSV per month, January to April 2026).

The output is deterministic (fixed seed, no clock), so regenerating produces byte-identical files and
the row counts the tests and docs rely on stay true. Run from anywhere:

    python3 examples/data/generate_orders.py
"""

import calendar
import csv
import datetime
import random
from pathlib import Path

SEED = 20260101
OUT_DIR = Path(__file__).resolve().parent / "orders"
MONTHS = [(2026, 1), (2026, 2), (2026, 3), (2026, 4)]

FIRST_NAMES = [
    "anna", "ben", "carla", "david", "elif", "farid", "greta", "hugo", "ines", "jonas",
    "kira", "liam", "maja", "noah", "olga", "pablo", "quinn", "rosa", "sven", "tara",
    "umar", "vera", "wim", "xenia", "yusuf", "zoe",
]
LAST_NAMES = [
    "andersen", "berger", "costa", "dubois", "eriksen", "fischer", "garcia", "hansen",
    "ivanova", "jansen", "kowalski", "larsen", "moreau", "novak", "olsen", "peters",
    "rossi", "schmidt", "tanaka", "weber",
]
EMAIL_DOMAINS = ["example.com", "example.org", "mail.example.net", "shop.example.de"]

# country -> (currency, weight); EUR countries dominate like a European web shop.
COUNTRIES = {
    "DE": ("EUR", 30), "FR": ("EUR", 14), "NL": ("EUR", 10), "ES": ("EUR", 8), "IT": ("EUR", 8),
    "AT": ("EUR", 5), "BE": ("EUR", 4), "GB": ("GBP", 11), "US": ("USD", 10),
}
# currency -> multiplier applied to the EUR list price
FX = {"EUR": 1.0, "GBP": 0.86, "USD": 1.08}

PRODUCTS = [
    ("MUG-CER-350", 12.90), ("MUG-ENA-300", 15.50), ("TEE-ORG-S", 24.00), ("TEE-ORG-M", 24.00),
    ("TEE-ORG-L", 24.00), ("HOOD-GRY-M", 59.00), ("HOOD-GRY-L", 59.00), ("CAP-NAV-OS", 19.90),
    ("BAG-CAN-TOTE", 17.50), ("BOT-STL-750", 27.90), ("NOTE-A5-DOT", 9.90), ("PEN-BRS-01", 34.00),
    ("STK-PACK-10", 4.50), ("POS-A3-MAP", 22.00), ("SOCK-WOOL-42", 14.90), ("BEAN-BLK-OS", 21.00),
    ("LAMP-DSK-LED", 79.00), ("CHRG-USB-C", 29.90), ("CASE-PHN-15", 19.00), ("KEY-MECH-TKL", 129.00),
]
STATUSES = [("delivered", 55), ("shipped", 15), ("paid", 12), ("pending", 8), ("cancelled", 6), ("refunded", 4)]


def make_customers(rng, count):
    customers = []
    for index in range(count):
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        email = f"{first}.{last}{rng.randint(1, 99)}@{rng.choice(EMAIL_DOMAINS)}"
        country = rng.choices(list(COUNTRIES), weights=[w for _, w in COUNTRIES.values()])[0]
        customers.append((f"C{10001 + index}", email, country))
    return customers


def main():
    rng = random.Random(SEED)
    customers = make_customers(rng, 420)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    order_id = 500001
    total = 0
    for year, month in MONTHS:
        rows = rng.randint(880, 1080)
        days = calendar.monthrange(year, month)[1]
        dates = sorted(datetime.date(year, month, rng.randint(1, days)) for _ in range(rows))
        path = OUT_DIR / f"orders-{year}-{month:02d}.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["order_id", "customer_id", "customer_email", "order_date", "status",
                             "product_sku", "quantity", "unit_price", "currency", "country"])
            for order_date in dates:
                customer_id, email, country = rng.choice(customers)
                currency = COUNTRIES[country][0]
                sku, list_price = rng.choice(PRODUCTS)
                quantity = rng.choices([1, 2, 3, 4, 5], weights=[60, 22, 10, 5, 3])[0]
                unit_price = round(list_price * FX[currency], 2)
                status = rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]
                writer.writerow([order_id, customer_id, email, order_date.isoformat(), status,
                                 sku, quantity, f"{unit_price:.2f}", currency, country])
                order_id += 1
        total += rows
        print(f"{path.name}: {rows} rows")
    print(f"total: {total} rows")


if __name__ == "__main__":
    main()
