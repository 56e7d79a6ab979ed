#!/usr/bin/env python3
"""Writes realistic synthetic Treue transcripts (JSON Lines, schema v1) for benchmarking
`treue review`: sessions with greetings, matched questions, slot questions, fallbacks,
logins with tier/segment, phase changes, handoffs, ratings and feedback, interleaved in
time order across day files, until the directory holds about N megabytes.

    python3 Benchmarks/review/generate_transcripts.py --mb 200 --out /tmp/transcripts
"""
import argparse
import datetime as dt
import heapq
import json
import os
import random

PHASES = ["awareness", "consideration", "conversion", "service", "loyalty"]
INTENTS = {
    "awareness": ["greeting", "what_is_treue", "store_hours", "contact"],
    "consideration": ["shipping_costs", "delivery_time", "payment_methods", "product_question"],
    "conversion": ["payment_methods", "payment_problem", "cancel_order", "invoice"],
    "service": ["order_status", "delivery_delay", "return_item", "refund_status", "damaged_item", "exchange_item"],
    "loyalty": ["points_balance", "redeem_points", "tier_benefits", "newsletter_unsubscribe"],
}
SIGNALS = {"order_status": "service", "return_item": "service", "points_balance": "loyalty", "payment_methods": "conversion"}
SLOTS = {"order_status": "order", "refund_status": "order", "return_item": "order"}
QUESTIONS = {
    "greeting": ["hi", "hello", "Hallo!", "good morning"],
    "what_is_treue": ["what is treue shop?", "Was ist der Treue Club?"],
    "store_hours": ["when are you open on saturday?", "Öffnungszeiten Filiale Berlin?"],
    "contact": ["how can I reach you by phone", "Kontakt E-Mail?"],
    "shipping_costs": ["how much is shipping", "Was kostet der Versand nach Österreich?"],
    "delivery_time": ["how long does delivery take", "wann kommt meine lieferung an"],
    "payment_methods": ["can I pay with paypal?", "Kann ich mit Klarna zahlen?"],
    "product_question": ["is the jacket waterproof", "gibt es die Schuhe in Größe 44?"],
    "payment_problem": ["my card was declined", "Zahlung fehlgeschlagen"],
    "cancel_order": ["cancel order {n}", "Ich möchte meine Bestellung {n} stornieren"],
    "invoice": ["I need an invoice for order {n}", "Rechnung für Bestellung {n} bitte"],
    "order_status": ["where is my order {n}?", "Wo ist meine Bestellung {n}?", "order status"],
    "delivery_delay": ["my parcel is late", "Paket ist seit 5 Tagen unterwegs"],
    "return_item": ["I want to return order {n}", "Rücksendung Bestellung {n}"],
    "refund_status": ["when do I get my money back", "Erstattung für {n}?"],
    "damaged_item": ["the item arrived broken", "Ware beschädigt angekommen"],
    "exchange_item": ["can I exchange the size", "Umtausch in Größe M"],
    "points_balance": ["how many points do I have", "Punktestand?"],
    "redeem_points": ["how do I redeem my points", "Punkte einlösen"],
    "tier_benefits": ["what do I get as gold member", "Vorteile Silber"],
    "newsletter_unsubscribe": ["unsubscribe newsletter", "Newsletter abbestellen"],
}
UNMATCHED = [
    "do you sell gift cards?", "Gibt es Gutscheine für {n} Euro?", "can I pick up in store {n}",
    "is there a student discount", "was ist mit meinem Paket {n} los???", "asdf", "Do you ship to Mars",
    "my coupon code SPRING{n} does not work", "Warum ist der Preis gestiegen?", "can I change my delivery slot to {n}pm",
    "where is the nearest store to {n} berlin", "I was charged twice for {n}", "[email] please call me",
]
ANSWER = ("Thanks for asking! Here is what you need to know about {intent}: our team usually handles this within "
          "{n} hours, and you can find all details in your account under Orders. Anything else I can help with?")
FALLBACK = "Sorry, I did not get that. I can help with orders, delivery, returns and the Treue Club. Maybe one of these fits:"
TIERS = ["Bronze", "Silber", "Gold"]
SEGMENTS = ["new", "regular", "vip", "b2b"]


def fmt(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def session_records(rng, start, instance):
    sid = "%032x" % rng.getrandbits(128)
    seq = 0
    t = start
    phase = rng.choice(["awareness"] * 3 + ["consideration", "service"])
    lang = rng.choice(["de", "de", "en"])
    out = []
    last_intent = None
    fallbacks = 0

    def rec(kind, **fields):
        nonlocal seq
        seq += 1
        r = {"v": 1, "ts": fmt(t), "session": sid, "seq": seq, "type": kind}
        if instance:
            r["instance"] = instance
        r.update(fields)
        out.append((r["ts"], sid, seq, json.dumps(r, ensure_ascii=False, separators=(",", ":"))))

    def tick(lo=1, hi=40):
        nonlocal t
        t += dt.timedelta(seconds=rng.uniform(lo, hi))

    rec("session_open", phase=phase, lang=lang)
    if rng.random() < 0.35:
        tick()
        tier, segment = rng.choice(TIERS), rng.choice(SEGMENTS)
        new_phase = rng.choice(["service", "loyalty", "conversion"])
        rec("login", customer="K-%05d" % rng.randrange(100000), verified=rng.random() < 0.5, phase=new_phase, tier=tier, segment=segment)
        if new_phase != phase:
            rec("phase_change", **{"from": phase, "to": new_phase, "reason": "login"})
            phase = new_phase
    handed_off = False
    for _ in range(rng.randint(1, 8)):
        tick()
        n = str(rng.randrange(10000, 999999))
        if rng.random() < 0.22:
            text = rng.choice(UNMATCHED).replace("{n}", n)
            rec("message", text=text)
            fallbacks += 1
            t += dt.timedelta(milliseconds=rng.randint(2, 30))
            rec("fallback", count=fallbacks, phase=phase)
            rec("reply", text=FALLBACK, intent=None, phase=phase, lang=lang, captures={},
                suggestions=["Where is my order?", "Return an item", "Treue Club points"])
            continue
        fallbacks = 0
        intent = rng.choice(INTENTS[phase] if rng.random() < 0.7 else INTENTS[rng.choice(PHASES)])
        text = rng.choice(QUESTIONS[intent]).replace("{n}", n)
        rec("message", text=text)
        t += dt.timedelta(milliseconds=rng.randint(2, 30))
        signal = SIGNALS.get(intent)
        if signal and signal != phase:
            rec("phase_change", **{"from": phase, "to": signal, "reason": "signal"})
            phase = signal
        captures = {}
        if intent in SLOTS:
            if "{n}" in rng.choice(QUESTIONS[intent]) and rng.random() < 0.5:
                captures[SLOTS[intent]] = n
            else:
                rec("slot_prompt", intent=intent, slot=SLOTS[intent])
                tick()
                rec("message", text=n)
                captures[SLOTS[intent]] = n
        rec("reply", text=ANSWER.format(intent=intent.replace("_", " "), n=rng.randint(2, 48)), intent=intent, phase=phase,
            lang=lang, captures=captures, suggestions=["Return an item", "Contact"], pattern=f"Intents/service.yaml:{rng.randint(10, 900)}:9")
        last_intent = intent
        if rng.random() < 0.15:
            tick(1, 10)
            rec("rating", helpful=rng.random() < 0.7, intent=last_intent)
    if rng.random() < 0.12:
        tick()
        ticket = "T-" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
        if rng.random() < 0.5:
            rec("command", name="agent")
            rec("handoff", ticket=ticket, reason="customer")
            rec("reply", text=f"A colleague will get in touch. Your ticket: {ticket}", intent=None, phase=phase, lang=lang,
                captures={"ticket": ticket}, suggestions=[])
        else:
            rec("message", text="I want to talk to a human")
            rec("handoff", ticket=ticket, reason="intent", intent="agent_request")
            rec("reply", text=f"A colleague will get in touch. Your ticket: {ticket}", intent="agent_request", phase=phase,
                lang=lang, captures={"ticket": ticket}, suggestions=[])
        handed_off = True
    if rng.random() < 0.02:
        tick()
        rec("error", code="bad_argument", detail="rate")
    tick()
    if rng.random() < 0.6:
        rec("command", name="quit")
        tick(1, 5)
        if rng.random() < 0.6:
            score = rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 2, 4, 5] if not handed_off else [3, 3, 2, 2, 1])[0]
            rec("feedback", score=score)
        rec("session_close", reason="quit")
    elif rng.random() < 0.97:
        rec("session_close", reason=rng.choice(["disconnect", "idle"]))
    # else: no close record, as after a crash
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="directory to write YYYY-MM-DD[.NAME].jsonl files into")
    parser.add_argument("--mb", type=float, default=200, help="approximate total size in megabytes (default 200)")
    parser.add_argument("--days", type=int, default=14, help="days to spread the sessions over (default 14)")
    parser.add_argument("--start", default="2025-03-01", help="first day (default 2025-03-01)")
    parser.add_argument("--instance", default=None, help="instance name for YYYY-MM-DD.NAME.jsonl")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    per_day = int(args.mb * 1_000_000 / args.days)
    first = dt.datetime.fromisoformat(args.start)
    total = 0
    for index in range(args.days):
        day = first + dt.timedelta(days=index)
        name = day.strftime("%Y-%m-%d") + (f".{args.instance}" if args.instance else "") + ".jsonl"
        sessions, size = [], 0
        while size < per_day:
            # Busier in the afternoon and evening, quiet at night.
            hour = min(22, max(0, int(rng.gauss(15, 4))))
            start = day + dt.timedelta(hours=hour, seconds=rng.uniform(0, 3600))
            records = session_records(rng, start, args.instance)
            size += sum(len(r[3].encode()) + 1 for r in records)
            sessions.append(records)
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as out:
            for _, _, _, line in heapq.merge(*sessions):
                out.write(line + "\n")
        total += size
    print(f"wrote {total / 1e6:.1f} MB in {args.days} files to {args.out}")


if __name__ == "__main__":
    main()
