"""The click-log simulator: a preset and a seed in, tables out.

Pure generation, no files: `mlsd.clicklog.data` writes and reads what this module makes.
Every day is drawn from its own seed derived from (seed, day), so days can be made
in any order or in parallel and a day's bytes never depend on the others.
The generative model is documented in data/README.md (the datasheet).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# Bump when a change alters generated data: cached logs with another version are remade.
SIMULATOR_VERSION = "5"

CATEGORIES = ("fashion", "electronics", "travel", "finance", "gaming", "food", "sports", "home")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55+")
AGE_EDGES = (18, 25, 35, 45, 55, 76)
COUNTRIES = ("US", "GB", "DE", "FR", "IN", "BR", "JP", "CA")
COUNTRY_WEIGHTS = (0.30, 0.10, 0.10, 0.08, 0.18, 0.10, 0.08, 0.06)
DEVICES = ("mobile", "desktop", "tablet")
PLACEMENTS = ("feed", "sidebar", "stories")
CREATIVES = ("image", "video", "carousel", "text")
GENDERS = ("F", "M", "U")

# Slots a request fills, per placement: the position of an ad is its slot (1 = top).
SLOTS = {"feed": 4, "sidebar": 2, "stories": 1}


@dataclass(frozen=True)
class ClickModel:
    """Coefficients of the true click model (logit scale) and the behaviour around it."""

    intercept: float = -4.43
    user_sd: float = 0.4  # latent user propensity
    ad_sd: float = 0.4  # latent ad quality
    position: tuple[float, ...] = (0.0, -0.4, -0.7, -0.95)
    device: dict = field(default_factory=lambda: {"mobile": 0.15, "desktop": 0.0, "tablet": -0.1})
    placement: dict = field(default_factory=lambda: {"feed": 0.0, "sidebar": -0.5, "stories": 0.3})
    creative: dict = field(
        default_factory=lambda: {"image": 0.0, "video": 0.2, "carousel": 0.1, "text": -0.3}
    )
    hour_amplitude: float = 0.25  # cosine over the day, peak at hour_peak
    hour_peak: float = 20.0
    interest_match: float = 1.3  # user interest == ad category
    interest_match_after_drift: float = 0.4  # concept drift: the match matters less
    fatigue: float = 0.3  # per earlier exposure to the same ad the same day
    fatigue_cap: int = 5
    # age band x category (rows AGE_BANDS, columns CATEGORIES)
    age_category: tuple[tuple[float, ...], ...] = (
        (0.4, 0.3, -0.2, -0.6, 0.9, 0.0, 0.3, -0.5),
        (0.4, 0.4, 0.1, -0.2, 0.5, 0.1, 0.2, 0.0),
        (0.0, 0.1, 0.2, 0.3, -0.2, 0.1, 0.0, 0.4),
        (-0.3, 0.0, 0.3, 0.6, -0.6, 0.0, -0.2, 0.4),
        (-0.5, -0.3, 0.4, 0.6, -0.9, 0.0, -0.3, 0.3),
    )
    device_mix: tuple[float, ...] = (0.5, 0.4, 0.1)  # primary devices of users
    primary_device_share: float = 0.7  # requests made on the user's primary device
    mobile_shift_after_drift: float = 0.6  # covariate shift: share of requests forced to mobile
    click_delay_fast_share: float = 0.85
    click_delay_fast_median_s: float = 10.0
    click_delay_slow_median_s: float = 7200.0
    hide_base: float = 0.004
    # conversions: P(convert | click) on the logit scale, then a delay and a value
    conversion_intercept: float = -2.7
    conversion_user_sd: float = 0.5  # latent user intent to buy, apart from u_user
    conversion_category: dict = field(default_factory=lambda: {
        "fashion": 0.3, "electronics": -0.2, "travel": -0.7, "finance": -0.9,
        "gaming": 0.4, "food": 0.8, "sports": 0.1, "home": -0.3,
    })
    conversion_match: float = 0.5  # the ad's category is the user's interest
    conversion_delay_median_s: float = 3 * 3600.0
    conversion_delay_sigma: float = 1.6
    conversion_value_median: float = 30.0  # advertisers' mean value per conversion
    conversion_value_sd: float = 0.6  # log-normal spread of that mean across advertisers
    conversion_value_shape: float = 4.0  # gamma shape of one conversion's value around it


@dataclass(frozen=True)
class Preset:
    """Size of a click log. The seed is part of the preset so a name means one log."""

    name: str
    n_users: int
    n_advertisers: int
    n_ads: int
    n_days: int
    drift_day: int  # first day (0-based) under drift
    requests_per_active_day: float = 8.0  # mean requests of an active user
    seed: int = 7
    start_date: str = "2026-03-02"
    model: ClickModel = field(default_factory=ClickModel)

    def with_(self, **changes) -> Preset:
        return dataclasses.replace(self, **changes)

    def days(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start_date, periods=self.n_days, freq="D")

    def config(self) -> dict:
        """A JSON-able description; two presets with equal configs make equal bytes."""
        return dataclasses.asdict(self)


PRESETS = {
    "tiny": Preset("tiny", n_users=400, n_advertisers=30, n_ads=120, n_days=14, drift_day=10),
    "small": Preset("small", n_users=1_200, n_advertisers=60, n_ads=240, n_days=21, drift_day=15),
    "default": Preset(
        "default", n_users=2_500, n_advertisers=100, n_ads=400, n_days=28, drift_day=21
    ),
    "large": Preset(
        "large", n_users=55_000, n_advertisers=800, n_ads=4_000, n_days=28, drift_day=21
    ),
}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(
            f"unknown preset {name!r}: choose one of {', '.join(PRESETS)}"
        ) from None


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, *stream]))


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class Entities:
    """Users, advertisers and ads, with the latent effects that never leave the simulator."""

    users: pd.DataFrame
    advertisers: pd.DataFrame
    ads: pd.DataFrame
    user_effect: np.ndarray
    user_activity: np.ndarray  # probability of being active on a day
    user_rate: np.ndarray  # mean requests when active
    ad_effect: np.ndarray
    user_conversion_effect: np.ndarray


def _cat(values, categories) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(values, dtype=np.int8), categories=list(categories))


def make_entities(preset: Preset) -> Entities:
    rng = _rng(preset.seed, 0)
    m = preset.model
    n = preset.n_users
    age = rng.integers(18, 76, size=n)
    age = np.where(rng.random(n) < 0.6, rng.integers(18, 45, size=n), age)  # skew young
    users = pd.DataFrame(
        {
            "user_id": np.arange(n, dtype=np.int32),
            "age": age.astype(np.int16),
            "gender": _cat(rng.choice(3, size=n, p=[0.48, 0.48, 0.04]), GENDERS),
            "country": _cat(rng.choice(len(COUNTRIES), size=n, p=COUNTRY_WEIGHTS), COUNTRIES),
            "device": _cat(rng.choice(3, size=n, p=m.device_mix), DEVICES),
            "interest": _cat(rng.integers(0, len(CATEGORIES), size=n), CATEGORIES),
            "signup_date": (
                pd.Timestamp(preset.start_date)
                - pd.to_timedelta(rng.integers(1, 1500, size=n), unit="D")
            ).values.astype("datetime64[ms]"),
        }
    )
    user_effect = rng.normal(0.0, m.user_sd, size=n)
    user_activity = rng.beta(3.0, 2.0, size=n)
    user_rate = rng.gamma(2.0, preset.requests_per_active_day / 2.0, size=n)

    na = preset.n_advertisers
    adv_cat = rng.integers(0, len(CATEGORIES), size=na)
    advertisers = pd.DataFrame(
        {
            "advertiser_id": np.arange(na, dtype=np.int32),
            "industry": _cat(adv_cat, CATEGORIES),
            "country": _cat(rng.choice(len(COUNTRIES), size=na, p=COUNTRY_WEIGHTS), COUNTRIES),
        }
    )

    nads = preset.n_ads
    owner = np.sort(rng.integers(0, na, size=nads))
    own_cat = adv_cat[owner]
    category = np.where(rng.random(nads) < 0.85, own_cat, rng.integers(0, len(CATEGORIES), nads))
    local = rng.random(nads) < 0.3  # targets its advertiser's country only
    min_age = np.where(rng.random(nads) < 0.3, rng.choice([18, 25, 35], size=nads), 18)
    max_age = np.where(rng.random(nads) < 0.3, rng.choice([34, 44, 54], size=nads), 75)
    max_age = np.maximum(max_age, min_age + 9)
    ads = pd.DataFrame(
        {
            "ad_id": np.arange(nads, dtype=np.int32),
            "advertiser_id": owner.astype(np.int32),
            "category": _cat(category, CATEGORIES),
            "creative_type": _cat(rng.choice(4, size=nads, p=[0.5, 0.2, 0.15, 0.15]), CREATIVES),
            "bid": np.round(rng.lognormal(np.log(0.6), 0.6, size=nads), 2).clip(0.05, None),
            "target_country": pd.Series(
                np.where(
                    local,
                    np.asarray(advertisers["country"].astype(str))[owner],
                    "ALL",
                ),
                dtype="category",
            ),
            "target_min_age": min_age.astype(np.int16),
            "target_max_age": max_age.astype(np.int16),
        }
    )
    ad_effect = rng.normal(0.0, m.ad_sd, size=nads)

    # conversions came later: their own stream, so the tables above keep their bytes
    conv = _rng(preset.seed, 2)
    user_conversion_effect = conv.normal(0.0, m.conversion_user_sd, size=n)
    advertisers["value_per_conversion"] = np.round(
        conv.lognormal(np.log(m.conversion_value_median), m.conversion_value_sd, size=na), 2
    ).clip(1.0, None)
    return Entities(users, advertisers, ads, user_effect, user_activity, user_rate, ad_effect,
                    user_conversion_effect)


def age_bands(users: pd.DataFrame) -> np.ndarray:
    """The index in AGE_BANDS of every user's age."""
    return np.searchsorted(np.array(AGE_EDGES[1:]), users["age"].to_numpy(), side="right")


def pair_logit(ent: Entities, m: ClickModel, user, ad, drifted: bool = False) -> np.ndarray:
    """The terms of the true logit that only the user and the ad decide: latent propensity and
    quality, creative, interest match, age band x category. Context and fatigue add the same to
    every ad of a request, so these terms alone order a user's ads."""
    ad_cat = ent.ads["category"].cat.codes.to_numpy()[ad]
    creative_type = ent.ads["creative_type"].cat.codes.to_numpy()[ad]
    creative = np.array([m.creative[k] for k in CREATIVES])[creative_type]
    match = ent.users["interest"].cat.codes.to_numpy()[user] == ad_cat
    beta_match = m.interest_match_after_drift if drifted else m.interest_match
    return (ent.user_effect[user] + ent.ad_effect[ad] + creative + beta_match * match
            + np.array(m.age_category)[age_bands(ent.users)[user], ad_cat])


def _serving_tables(ent: Entities):
    """Per user segment (country, age band, interest), the CDF over ads a request draws from.

    Ads are served to eligible users (targeting), more often to users interested in their
    category and more often when they bid more: the log is not a random sample of pairs.
    """
    users, ads = ent.users, ent.ads
    n_ads = len(ads)
    n_c, n_b, n_i = len(COUNTRIES), len(AGE_BANDS), len(CATEGORIES)
    band_lo = np.array(AGE_EDGES[:-1])
    band_hi = np.array(AGE_EDGES[1:]) - 1
    tc = ads["target_country"].astype(str).to_numpy()
    ad_country_ok = np.array([[t == "ALL" or t == c for t in tc] for c in COUNTRIES])  # (C, A)
    # an ad is eligible for a band when the band overlaps its target age range
    ad_band_ok = (band_lo[:, None] <= ads["target_max_age"].to_numpy()[None, :]) & (
        band_hi[:, None] >= ads["target_min_age"].to_numpy()[None, :]
    )  # (B, A)
    ad_cat = ads["category"].cat.codes.to_numpy()
    interest_boost = np.where(np.arange(n_i)[:, None] == ad_cat[None, :], 4.0, 1.0)  # (I, A)
    w = (
        ad_country_ok[:, None, None, :]
        * ad_band_ok[None, :, None, :]
        * interest_boost[None, None, :, :]
        * np.sqrt(ads["bid"].to_numpy())[None, None, None, :]
    ).reshape(n_c * n_b * n_i, n_ads)
    empty = w.sum(axis=1) == 0
    w[empty] = 1.0  # no eligible ad: fall back to any ad (rare, tiny presets only)
    cdf = np.cumsum(w, axis=1)
    cdf /= cdf[:, -1:]
    cdf[:, -1] = 1.0
    flat = (np.arange(len(cdf))[:, None] + cdf).ravel()
    segment = (
        users["country"].cat.codes.to_numpy().astype(np.int64) * n_b + age_bands(users)
    ) * n_i + users["interest"].cat.codes.to_numpy()
    return flat, segment


@dataclass
class Day:
    """One day of the log: the public tables and the oracle's truth."""

    impressions: pd.DataFrame
    clicks: pd.DataFrame
    hides: pd.DataFrame
    conversions: pd.DataFrame
    truth: pd.DataFrame


class Simulator:
    """Generates one preset's log; `day(d)` is a pure function of (preset, d)."""

    def __init__(self, preset: Preset):
        self.preset = preset
        self.entities = make_entities(preset)
        self._flat_cdf, self._segment = _serving_tables(self.entities)
        day_index = preset.n_days
        end = pd.Timestamp(preset.start_date) + pd.Timedelta(days=day_index)
        self.log_end = end.to_datetime64().astype("datetime64[ms]")

    def day(self, d: int) -> Day:
        p, m, ent = self.preset, self.preset.model, self.entities
        if not 0 <= d < p.n_days:
            raise ValueError(f"day {d} is outside the log (0..{p.n_days - 1})")
        rng = _rng(p.seed, 1, d)
        drifted = d >= p.drift_day
        n_users = len(ent.users)

        # --- requests: who, when, where
        active = rng.random(n_users) < ent.user_activity
        n_req = np.where(active, rng.poisson(ent.user_rate), 0)
        req_user = np.repeat(np.arange(n_users, dtype=np.int32), n_req)
        n_r = len(req_user)
        hours = np.arange(24)
        hour_w = 1.0 + 0.8 * np.cos(2 * np.pi * (hours - 20) / 24) + 0.5 * (hours >= 7)
        hour_w /= hour_w.sum()
        hour = rng.choice(24, size=n_r, p=hour_w)
        second = hour * 3600 + rng.integers(0, 3600, size=n_r)
        primary = ent.users["device"].cat.codes.to_numpy()[req_user]
        other = rng.choice(3, size=n_r, p=m.device_mix)
        device = np.where(rng.random(n_r) < m.primary_device_share, primary, other)
        if drifted:
            device = np.where(rng.random(n_r) < m.mobile_shift_after_drift, 0, device)
        placement = rng.choice(3, size=n_r, p=[0.6, 0.3, 0.1])
        order = np.lexsort((req_user, second))
        req_user, hour, second, device, placement = (
            req_user[order], hour[order], second[order], device[order], placement[order],
        )
        request_id = np.int64(d) * 10_000_000 + np.arange(n_r, dtype=np.int64)

        # --- impressions: one per filled slot
        slots = np.array([SLOTS[name] for name in PLACEMENTS])[placement]
        imp_req = np.repeat(np.arange(n_r), slots)
        starts = np.repeat(np.cumsum(slots) - slots, slots)
        position = (np.arange(len(imp_req)) - starts + 1).astype(np.int8)
        n_i = len(imp_req)
        user = req_user[imp_req]
        seg = self._segment[user]
        ad = np.searchsorted(self._flat_cdf, seg + rng.random(n_i), side="right") % len(ent.ads)
        ad = ad.astype(np.int32)
        # every slot of a request shares its timestamp (to the millisecond)
        ts = (
            self.log_end
            - np.timedelta64(p.n_days - d, "D")
            + (second[imp_req].astype(np.int64) * 1000).astype("timedelta64[ms]")
            + rng.integers(0, 1000, size=n_r)[imp_req].astype("timedelta64[ms]")
        )
        # --- fatigue: earlier exposures of this user to this ad today
        key = user.astype(np.int64) * len(ent.ads) + ad
        o = np.lexsort((np.arange(n_i), key))
        ks = key[o]
        first = np.r_[True, ks[1:] != ks[:-1]]
        run_start = np.maximum.accumulate(np.where(first, np.arange(n_i), 0))
        prior = np.empty(n_i, dtype=np.int64)
        prior[o] = np.arange(n_i) - run_start

        # --- the true click probability
        ads, users = ent.ads, ent.users
        ad_cat = ads["category"].cat.codes.to_numpy()[ad]
        match = users["interest"].cat.codes.to_numpy()[user] == ad_cat
        dev_i, pl_i = device[imp_req], placement[imp_req]
        logit = (
            m.intercept
            + pair_logit(ent, m, user, ad, drifted)
            + np.array(m.position)[position - 1]
            + np.array([m.device[k] for k in DEVICES])[dev_i]
            + np.array([m.placement[k] for k in PLACEMENTS])[pl_i]
            + m.hour_amplitude * np.cos(2 * np.pi * (hour[imp_req] - m.hour_peak) / 24)
            - m.fatigue * np.minimum(prior, m.fatigue_cap)
        )
        p_click = _sigmoid(logit)
        clicked = rng.random(n_i) < p_click

        impression_id = np.int64(d) * 100_000_000 + np.arange(n_i, dtype=np.int64)
        impressions = pd.DataFrame(
            {
                "impression_id": impression_id,
                "request_id": request_id[imp_req],
                "ts": ts,
                "user_id": user,
                "ad_id": ad,
                "position": position,
                "device": _cat(dev_i, DEVICES),
                "placement": _cat(pl_i, PLACEMENTS),
            }
        )

        # --- clicks: delays are a fast mode (seconds) and a slow tail (hours)
        n_c = int(clicked.sum())
        fast = rng.random(n_c) < m.click_delay_fast_share
        delay_s = np.where(
            fast,
            rng.lognormal(np.log(m.click_delay_fast_median_s), 1.0, n_c),
            rng.lognormal(np.log(m.click_delay_slow_median_s), 1.2, n_c),
        )
        click_ts = ts[clicked] + (delay_s * 1e3).astype("timedelta64[ms]")
        seen = click_ts < self.log_end  # clicks after the log was cut are not in it
        clicks = pd.DataFrame(
            {"impression_id": impression_id[clicked][seen], "click_ts": click_ts[seen]}
        )

        # --- hides: unclicked, mostly irrelevant ads
        p_hide = m.hide_base * np.where(match, 0.5, 2.0) * (1 + prior)
        hidden = ~clicked & (rng.random(n_i) < p_hide)
        hide_ts = ts[hidden] + (rng.lognormal(np.log(6.0), 0.7, int(hidden.sum())) * 1e3).astype(
            "timedelta64[ms]"
        )
        keep = hide_ts < self.log_end
        hides = pd.DataFrame(
            {"impression_id": impression_id[hidden][keep], "hide_ts": hide_ts[keep]}
        )
        # --- conversions: some clicks lead to a purchase, minutes to days later
        conv = _rng(p.seed, 3, d)
        p_convert = _sigmoid(
            m.conversion_intercept
            + ent.user_conversion_effect[user]
            + np.array([m.conversion_category[k] for k in CATEGORIES])[ad_cat]
            + m.conversion_match * match
        )
        converts = clicked & (conv.random(n_i) < p_convert)
        sel = converts[clicked]  # which clicks convert, in click order
        conv_delay_s = conv.lognormal(
            np.log(m.conversion_delay_median_s), m.conversion_delay_sigma, int(sel.sum())
        )
        conv_ts = click_ts[sel] + (conv_delay_s * 1e3).astype("timedelta64[ms]")
        mean_value = ent.advertisers["value_per_conversion"].to_numpy()[
            ads["advertiser_id"].to_numpy()[ad[converts]]
        ]
        value = np.round(
            conv.gamma(m.conversion_value_shape, mean_value / m.conversion_value_shape), 2
        ).clip(0.01, None)
        keep = conv_ts < self.log_end
        conversions = pd.DataFrame({
            "impression_id": impression_id[converts][keep],
            "conversion_ts": conv_ts[keep],
            "value": value[keep],
        })
        truth = pd.DataFrame(
            {"impression_id": impression_id, "p_click": p_click, "p_convert": p_convert}
        )
        return Day(impressions, clicks, hides, conversions, truth)


def click_delay_cdf(seconds, model: ClickModel | None = None) -> np.ndarray:
    """P(delay <= seconds) for a click that happens: the mixture of the two log-normals."""
    from scipy.special import ndtr

    m = model or ClickModel()
    s = np.asarray(seconds, dtype=float)

    def lognorm_cdf(x, median, sigma):
        with np.errstate(divide="ignore"):
            return ndtr((np.log(x) - np.log(median)) / sigma)

    return m.click_delay_fast_share * lognorm_cdf(s, m.click_delay_fast_median_s, 1.0) + (
        1 - m.click_delay_fast_share
    ) * lognorm_cdf(s, m.click_delay_slow_median_s, 1.2)
