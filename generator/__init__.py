"""brief: briefing notes for diplomats from sourced facts, in Kazakh, Russian and English."""

__version__ = "0.1.0"


def build(root, options, progress=None):
    """Build briefs (see generator.build.build)."""
    from generator.commands.build import build as _build

    return _build(root, options, progress)


def check(root, pairs=None, strict=False, on=None):
    """Check facts, sources, templates and catalogs (see generator.check.check)."""
    from generator.commands.check import check as _check

    return _check(root, pairs, strict=strict, on=on)
