# Signs in as each demo role and prints "role token", creating an API token on the Account page as a person would.
import re, sys, urllib.request, urllib.parse, http.cookiejar
BASE = sys.argv[1]; PASSWORD = sys.argv[2]
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
def session():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)
def csrf(op, path):
    return re.search(r'name="_csrf" value="([^"]*)"', op.open(BASE + path).read().decode()).group(1)
def post(op, path, fields):
    try: return op.open(urllib.request.Request(BASE + path, data=urllib.parse.urlencode(fields).encode()))
    except urllib.error.HTTPError as e: return e
for role, email in [a.split("=") for a in sys.argv[3:]]:
    op = session()
    post(op, "/login", {"email": email, "password": PASSWORD, "_csrf": csrf(op, "/login")})
    page = post(op, "/account/tokens", {"name": "schemathesis", "_csrf": csrf(op, "/account")}).read().decode()
    print(role, re.search(r'id="new-token" class="token" readonly value="([^"]+)"', page).group(1))
