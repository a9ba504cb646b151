"""Make a synthetic project for scaling measurements: N pairs, each k× the facts of kz-tr.

    python benchmarks/synth.py OUT_DIR --pairs 8 --scale 4

The real fact base is never touched: templates and sources are copied, dossiers are
generated from briefs/kz-tr.yaml by repeating every list of facts k times (years and
dates shifted back so series stay ordered and valid).
"""

from __future__ import annotations

import argparse
import copy
import shutil
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]


def partner_codes(count: int) -> list[str]:
    """Real ISO 3166 alpha-2 codes (not KZ), so country names come from CLDR."""
    from babel import Locale

    codes = sorted(
        c
        for c in Locale.parse("en").territories
        if len(c) == 2 and c.isalpha() and c not in ("KZ", "ZZ", "EU", "UN", "EZ")
    )
    if count > len(codes):
        raise SystemExit(f"at most {len(codes)} pairs")
    return codes[:count]


def _shift(value, years: int):
    text = str(value)
    if isinstance(value, int):
        return value - years
    if len(text) >= 4 and text[:4].isdigit():
        return f"{int(text[:4]) - years:04d}{text[4:]}".replace("-02-29", "-02-28")
    return value


def scale_list(items: list, factor: int, date_keys=("date", "year", "since", "opened")) -> list:
    """The list repeated `factor` times; copy k is dated k×40 years earlier."""
    out = list(items)
    for k in range(1, factor):
        for item in items:
            clone = copy.deepcopy(item)
            if isinstance(clone, dict):
                for key in date_keys:
                    if key in clone and not isinstance(clone[key], dict):
                        clone[key] = _shift(clone[key], 40 * k)
                if "number" in clone and isinstance(clone["number"], int):
                    clone["number"] += 100 * k
                if "id" in clone:
                    clone["id"] = f"{clone['id']}-{k}"
            out.append(clone)
    return out


def scale_trade(rows: list, factor: int) -> list:
    """A trade series `factor` times longer: consecutive years from 1991, figures cycled."""
    count = min(len(rows) * factor, 2100 - 1991 + 1)
    out = []
    for i in range(count):
        clone = copy.deepcopy(rows[i % len(rows)])
        clone["year"] = 1991 + i
        out.append(clone)
    return out


def make(target: Path, pairs: int, scale: int) -> list[str]:
    """Write the synthetic project; return its pair names."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "templates", target / "templates")
    shutil.copytree(ROOT / "sources", target / "sources")
    (target / "briefs").mkdir()
    for registry in ("people.yaml", "organisations.yaml"):
        if (ROOT / "briefs" / registry).exists():
            shutil.copy(ROOT / "briefs" / registry, target / "briefs" / registry)
    yaml = YAML(typ="rt")
    yaml.width = 4096
    base = yaml.load((ROOT / "briefs" / "kz-tr.yaml").read_text(encoding="utf-8"))
    names = []
    for code in partner_codes(pairs):
        data = copy.deepcopy(base)
        pair = f"kz-{code.lower()}"
        data["pair"] = pair
        data["countries"] = ["KZ", code]
        for key, value in list(data.items()):
            if isinstance(value, list) and key not in ("countries", "events"):
                if key == "trade":
                    data[key] = scale_trade(value, scale)
                else:
                    data[key] = scale_list(value, scale)
        with (target / "briefs" / f"{pair}.yaml").open("w", encoding="utf-8") as fh:
            yaml.dump(data, fh)
        names.append(pair)
    return names


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args(argv)
    names = make(args.out, args.pairs, args.scale)
    print(f"{len(names)} pairs at {args.scale}× in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
