#!/usr/bin/env python3
"""Drives the simulator from outside .NET: bind a card by SMS code, then pay with SMS step-up
(Authorize -> 1A -> the code from the SMS inbox -> AuthenticatePayment). docs/simulator.md, "gRPC from any language".

  python3 scripts/python/step_up.py --control http://127.0.0.1:7000 --issuer 127.0.0.1:7101 --sms 127.0.0.1:7201

Needs grpcio and grpcio-tools (Debian: python3-grpcio python3-grpc-tools). Prints one JSON line and exits 0 when
every step answered as documented, 1 otherwise.
"""
import argparse, json, os, sys, tempfile, urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--control", default="http://127.0.0.1:7000")
parser.add_argument("--issuer", default="127.0.0.1:7101")
parser.add_argument("--sms", default="127.0.0.1:7201")
parser.add_argument("--protos", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "protos"))
args = parser.parse_args()

# Generate the stubs from protos/ (python -m grpc_tools.protoc -Iprotos --python_out=. --grpc_python_out=. ...).
from grpc_tools import protoc
out = tempfile.mkdtemp(prefix="paysim-py-")
protos = os.path.abspath(args.protos)
well_known = os.path.join(os.path.dirname(protoc.__file__), "_proto")  # google/protobuf/timestamp.proto, as -m grpc_tools.protoc adds it
if protoc.main(["protoc", "-I" + protos, "-I" + well_known, "--python_out=" + out, "--grpc_python_out=" + out,
                os.path.join(protos, "issuer.proto"), os.path.join(protos, "sms.proto")]) != 0:
    sys.exit("protoc failed")
sys.path.insert(0, out)

import grpc, issuer_pb2 as ip, issuer_pb2_grpc as ig, sms_pb2 as sp, sms_pb2_grpc as sg

def http(method, path, body=None):
    request = urllib.request.Request(args.control + path, method=method, data=None if body is None else json.dumps(body).encode())
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read())

def fail(step, reply):
    print(json.dumps({"ok": False, "step": step, "reply": str(reply)}))
    sys.exit(1)

http("PUT", "/v1/risk", {"stepUp": {"aboveMinor": 10000}})           # payments above 100.00 need the SMS code
c = http("GET", "/v1/cardholders?count=1&persona=healthy")["cardholders"][0]
issuer = ig.IssuerStub(grpc.insecure_channel(args.issuer))
inbox = sg.InboxStub(grpc.insecure_channel(args.sms))

def last_sequence():
    return max([m.sequence for m in inbox.ListMessages(sp.ListMessagesRequest(phone=c["phone"])).messages] + [0])

last = last_sequence()
start = issuer.StartBinding(ip.StartBindingRequest(pan=c["pan"], expiry=c["expiry"], cvv=c["cvv"],
    holder_name=c["inputHolderName"], id_number=c["inputIdNumber"], phone=c["inputPhone"]))
if start.response_code != "00": fail("StartBinding", start)
otp = inbox.WaitForMessage(sp.WaitForMessageRequest(phone=c["phone"], timeout_ms=10000, after_sequence=last)).message.otp
bound = issuer.ConfirmBinding(ip.ConfirmBindingRequest(binding_id=start.binding_id, otp=otp))
if bound.response_code != "00": fail("ConfirmBinding", bound)

last = last_sequence()
auth = issuer.Authorize(ip.AuthorizeRequest(card_token=bound.card_token, amount_minor=12345, merchant_id="shop-1",
    order_reference="order-py-1", idempotency_key="pay-py-1"))
if auth.response_code != "1A" or not auth.challenge_id: fail("Authorize", auth)      # nothing held yet
sms = inbox.WaitForMessage(sp.WaitForMessageRequest(phone=c["phone"], timeout_ms=10000, after_sequence=last)).message
if sms.kind != "otp" or sms.correlation_id != auth.challenge_id: fail("WaitForMessage", sms)
done = issuer.AuthenticatePayment(ip.AuthenticatePaymentRequest(challenge_id=auth.challenge_id, otp=sms.otp))
if done.response_code != "00": fail("AuthenticatePayment", done)
again = issuer.AuthenticatePayment(ip.AuthenticatePaymentRequest(challenge_id=auth.challenge_id, otp=sms.otp))
if again.authorization_id != done.authorization_id: fail("AuthenticatePayment again", again)
print(json.dumps({"ok": True, "pan": c["pan"], "challengeId": auth.challenge_id, "authorizationId": done.authorization_id}))
