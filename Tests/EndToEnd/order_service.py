#!/usr/bin/env python3
"""A small order service implementing Treue's HTTP contract (docs/orders.md), for the
end-to-end tests and as an example for a shop's developers: `GET /orders/NUMBER` with
`Authorization: Bearer TOKEN` answers 200 with the order as a JSON object, 404 when there
is no such order, 401 for a wrong token. Orders come from a CSV export.

Test numbers misbehave on purpose: 50000000 answers 500, 70000000 answers after 10 s,
80000000 with malformed JSON, 81000000 with 5 MB of JSON, 82000000 with a JSON array.

    python3 order_service.py --orders Customers/demo-orders.csv --token-file token --port 8099
"""
import argparse, csv, json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", required=True)
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    token = open(args.token_file).read().strip()
    with open(args.orders, newline="", encoding="utf-8") as f:
        orders = {row["number"]: {k: v for k, v in row.items() if v} for row in csv.DictReader(f)}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self, status, body, content_type="application/json"):
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.headers.get("Authorization") != f"Bearer {token}":
                return self.answer(401, '{"error":"unauthorized"}')
            if not self.path.startswith("/orders/"):
                return self.answer(404, '{"error":"no such path"}')
            number = self.path[len("/orders/"):]
            if number == "50000000":
                return self.answer(500, '{"error":"database down"}')
            if number == "70000000":
                time.sleep(10)
            if number == "80000000":
                return self.answer(200, '{"number": "80000000", "status": ')
            if number == "81000000":
                return self.answer(200, json.dumps({"number": "81000000", "padding": "x" * 5_000_000}))
            if number == "82000000":
                return self.answer(200, "[1, 2, 3]")
            order = orders.get(number)
            if order is None:
                return self.answer(404, '{"error":"no such order"}')
            return self.answer(200, json.dumps(order))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
