"""The site's colours pass WCAG AA, and its code highlighting keeps them on its background."""

import pytest

from eng28.render import site_style


def luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("text", "back", "minimum"), site_style.CONTRAST_PAIRS)
def test_every_colour_pair_of_the_stylesheet_passes_aa(text, back, minimum):
    assert contrast(text, back) >= minimum


def test_every_code_token_colour_passes_aa_on_the_code_background():
    from pygments.styles import get_style_by_name

    style = get_style_by_name(site_style.CODE_STYLE)
    for token, how in style:
        if how["color"]:
            back = f"#{how['bgcolor']}" if how["bgcolor"] else site_style.CODE_BACKGROUND
            assert contrast(f"#{how['color']}", back) >= 4.5, token


def test_the_stylesheet_has_every_colour_it_names_and_no_placeholder_left():
    css = site_style.stylesheet()
    for text, back, _ in site_style.CONTRAST_PAIRS:
        assert text in css and back in css
    assert not {"FG", "BG", "MUTED", "LINK", "BADGES", "HEAT"} & set(css.split())
