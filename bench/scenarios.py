"""What the simulated users do. Each scenario logs its users in once (not measured), then repeats one step."""
import math
import re
from decimal import Decimal

from load import HttpError, Session, input_value, login

PUBLIC, AUTHENTICATED, INFORMATION = "public", "authenticated", "information"


class Scenario:
    name = ""
    server = "app"  # or "hello"
    kind = PUBLIC
    users = 20  # set by the runner: how many users share the accounts

    async def setup(self, session: Session, index: int, manifest: dict) -> None:
        pass

    async def step(self, recorder, session: Session, index: int, manifest: dict, rng) -> None:
        raise NotImplementedError


class Hello(Scenario):
    name = "hello-world (bare Flask)"
    server = "hello"

    async def step(self, recorder, session, index, manifest, rng):
        await recorder.timed(session, "GET", "/")


class PublicList(Scenario):
    name = "public list /vinh-danh"

    async def step(self, recorder, session, index, manifest, rng):
        await recorder.timed(session, "GET", "/vinh-danh")


class PublicListRendered(Scenario):
    """The same page for a visitor carrying a cookie (here: the language chosen): the app renders it every time,
    the copy the page cache keeps for cookie-less visitors does not apply. Shown for information."""

    name = "public list, rendered (with a cookie)"
    kind = INFORMATION

    async def setup(self, session, index, manifest):
        await session.request("GET", "/lang/vi?next=/vinh-danh")
        if not session.cookies:
            raise HttpError("choosing the language set no cookie")

    async def step(self, recorder, session, index, manifest, rng):
        await recorder.timed(session, "GET", "/vinh-danh")


class PublicYear(Scenario):
    name = "public year page /vinh-danh/<year>"

    async def step(self, recorder, session, index, manifest, rng):
        await recorder.timed(session, "GET", f"/vinh-danh/{manifest['past_year']}")


class _Reviewer(Scenario):
    kind = AUTHENTICATED

    def reviewer(self, index: int, manifest: dict) -> dict:
        return manifest["reviewers"][index % len(manifest["reviewers"])]

    async def setup(self, session, index, manifest):
        await login(session, self.reviewer(index, manifest)["email"], manifest["password"])


class SheetView(_Reviewer):
    name = "score sheet page (GET)"

    async def step(self, recorder, session, index, manifest, rng):
        dossier_id = rng.choice(self.reviewer(index, manifest)["assigned"])
        await recorder.timed(session, "GET", f"/reviews/{dossier_id}")


class SheetSave(_Reviewer):
    """Saves a draft sheet with new points; the redirect's page (not measured) gives the next form. Users
    sharing an account work on different sheets, as two people on one sheet would (rightly) get 409s."""

    name = "score sheet save (POST)"

    def sheets(self, index: int, manifest: dict) -> list[int]:
        reviewers = len(manifest["reviewers"])
        sharing = math.ceil(self.users / reviewers)
        mine = self.reviewer(index, manifest)["drafts"][index // reviewers::sharing]
        if not mine:
            raise HttpError("the dataset has too few draft sheets for this many users")
        return mine

    async def setup(self, session, index, manifest):
        await super().setup(session, index, manifest)
        self.sheets(index, manifest)

    async def step(self, recorder, session, index, manifest, rng):
        dossier_id = rng.choice(self.sheets(index, manifest))
        page = await session.request("GET", f"/reviews/{dossier_id}")
        form = {"csrf_token": input_value(page.text, "csrf_token") or "",
                "version": input_value(page.text, "version") or "", "overall_comment": "Đã xem xét kỹ hồ sơ.",
                "save": "Lưu nháp"}
        for tag in re.findall(r'<input\b[^>]*name="points_\d+"[^>]*>', page.text):
            name = re.search(r'name="(points_\d+)"', tag).group(1)
            maximum = Decimal(re.search(r'max="([^"]+)"', tag).group(1))
            form[name] = str((maximum * Decimal(rng.randint(40, 100)) / 100).quantize(Decimal("0.1")))
            form["comment_" + name.removeprefix("points_")] = ""
        await recorder.timed(session, "POST", f"/reviews/{dossier_id}", form, expect=(302,))


class _Secretary(Scenario):
    kind = AUTHENTICATED

    async def setup(self, session, index, manifest):
        accounts = manifest["secretaries"]
        await login(session, accounts[index % len(accounts)], manifest["password"])


class Inbox(_Secretary):
    name = "eligibility inbox (secretariat)"
    QUERIES = ("", "", "", "?q=nguyen", "?state=submitted", "?page=3")

    async def step(self, recorder, session, index, manifest, rng):
        await recorder.timed(session, "GET", "/eligibility/" + rng.choice(self.QUERIES))


class Results(_Secretary):
    name = "results and ranking (secretariat)"
    PAGES = ("", "", "?page=2", "?page=40")

    async def step(self, recorder, session, index, manifest, rng):
        await recorder.timed(session, "GET", f"/rounds/{manifest['current_round_id']}/results"
                             + rng.choice(self.PAGES))


ALL = (Hello(), PublicList(), PublicYear(), PublicListRendered(), SheetView(), SheetSave(), Inbox(), Results())
