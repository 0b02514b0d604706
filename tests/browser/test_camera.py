"""End-to-end camera scanning: Chromium's fake camera plays a video of a real EAN-13 barcode
(drawn here from the standard's bar patterns, written as YUV4MPEG2); on a phone-sized other
stock-in page the camera button opens the rear camera, the barcode is decoded (Debian's Chromium
has no BarcodeDetector, so this is the ZXing fallback) and the SKU's line appears once, however
long the barcode stays in view; closing the dialog stops the camera."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# EAN-13 bar patterns (1 = bar) of the left half's odd-parity (L) digits; the right half's R
# patterns are their complement, the even-parity (G) ones the R patterns reversed. The first
# digit is not drawn: it chooses which left digits are L or G.
L_CODES = ["0001101", "0011001", "0010011", "0111101", "0100011",
           "0110001", "0101111", "0111011", "0110111", "0001011"]  # fmt: skip
PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
          "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]  # fmt: skip


def ean13(first12: str) -> str:
    """The 12 digits with their check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


CAMERA_BARCODE = ean13("690123456789")


def ean13_modules(code: str) -> str:
    """The 95 modules of an EAN-13 symbol: guard, 6 left digits, centre guard, 6 right, guard."""

    def r_code(digit: int) -> str:
        return "".join("1" if bit == "0" else "0" for bit in L_CODES[digit])

    digits = [int(d) for d in code]
    left = "".join(
        L_CODES[d] if parity == "L" else r_code(d)[::-1]
        for d, parity in zip(digits[1:7], PARITY[digits[0]], strict=True)
    )
    right = "".join(r_code(d) for d in digits[7:])
    return "101" + left + "01010" + right + "101"


def write_y4m(path: Path, modules: str, width: int = 640, height: int = 480) -> None:
    """A short grey-scale YUV4MPEG2 (4:2:0) video of the barcode: black bars of 4 px per module,
    on white with wide quiet zones; Chromium's fake camera plays it in a loop."""
    module_px, bar_height = 4, 300
    row = bytearray(b"\xff" * width)
    left = (width - len(modules) * module_px) // 2
    for index, module in enumerate(modules):
        if module == "1":
            start = left + index * module_px
            row[start : start + module_px] = b"\x00" * module_px
    top = (height - bar_height) // 2
    white = b"\xff" * width
    luma = b"".join(bytes(row) if top <= y < top + bar_height else white for y in range(height))
    chroma = b"\x80" * (width // 2 * height // 2 * 2)  # U and V planes: no colour
    frame = b"FRAME\n" + luma + chroma
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            out.write(frame)


def test_ean13_modules_follow_the_standard():
    # a reference symbol: 4006381333931 (the example of the EAN-13 article on the standard)
    assert ean13("400638133393") == "4006381333931"
    modules = ean13_modules("4006381333931")
    assert len(modules) == 95
    assert modules[:3] == "101" and modules[45:50] == "01010" and modules[-3:] == "101"
    # first digit 4 → LGLLGG: digit 0 in L, then digit 0 in G
    assert modules[3:10] == "0001101" and modules[10:17] == "0100111"


# Records the camera streams the page opens, to check the constraints and that closing stops them.
TRACK_RECORDER = """
window.__camera = { constraints: [], tracks: [] };
const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = async (constraints) => {
  window.__camera.constraints.push(constraints);
  const stream = await getUserMedia(constraints);
  window.__camera.tracks.push(...stream.getTracks());
  return stream;
};
"""


@pytest.fixture
def camera_browser(launch_chromium, tmp_path):
    """A Chromium whose camera (permitted) films the barcode CAMERA_BARCODE."""
    video = tmp_path / "ean13.y4m"
    write_y4m(video, ean13_modules(CAMERA_BARCODE))
    return launch_chromium(
        [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ]
    )


def test_scan_a_barcode_with_the_camera_on_a_phone(live_server, shop, camera_browser, open_page):
    from storeledger.testing import factories

    assert CAMERA_BARCODE == "6901234567892"
    factories.sku(code="COLA", name="可乐 330ml", barcode=CAMERA_BARCODE, base_unit=shop["unit"])
    page = open_page(PHONE, browser=camera_browser)
    page.add_init_script(TRACK_RECORDER)
    scripts: list[str] = []
    page.on("request", lambda request: scripts.append(request.url))
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-ins/new")
    expect(page.locator("#scan-input")).to_be_visible()
    assert not any("zxing" in url for url in scripts)  # the decoder is not in the main bundle
    assert page.evaluate("'BarcodeDetector' in window") is False

    page.get_by_role("button", name="摄像头扫码").click()
    expect(page.get_by_test_id("qty-COLA")).to_have_value("1", timeout=20_000)
    expect(page.get_by_test_id("camera-status")).to_have_text(f"已识别 {CAMERA_BARCODE}")
    expect(page.get_by_test_id("scan-status")).to_have_attribute("data-ok", "true")
    shot(page, "camera-scan-zh-phone")
    assert any("zxing" in url for url in scripts)  # the ZXing fallback was loaded on demand
    constraints = page.evaluate("window.__camera.constraints")
    assert constraints[0]["video"]["facingMode"] == {"ideal": "environment"}

    # the barcode stays in view: still one scan a few seconds later
    page.wait_for_timeout(3000)
    expect(page.get_by_test_id("qty-COLA")).to_have_value("1")

    page.get_by_test_id("camera-done").click()
    expect(page.get_by_test_id("camera-video")).to_have_count(0)
    states = page.evaluate("window.__camera.tracks.map((track) => track.readyState)")
    assert states and set(states) == {"ended"}
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.js_errors == []


def test_camera_permission_denied_is_explained(live_server, shop, launch_chromium, open_page):
    browser = launch_chromium(["--use-fake-device-for-media-stream"])  # a camera, not permitted
    page = open_page(PHONE, browser=browser)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/inventory/stock-ins/new")
    page.get_by_role("button", name="摄像头扫码").click()
    expect(page.get_by_test_id("camera-error")).to_have_text(
        "无法打开摄像头，请允许使用摄像头或改用扫码枪"
    )
    shot(page, "camera-denied-zh-phone")
    page.get_by_test_id("camera-done").click()
    expect(page.get_by_test_id("camera-error")).to_have_count(0)
    assert page.js_errors == []
