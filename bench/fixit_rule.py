"""The peer in the benchmark: one Fixit 2 rule doing a slice of what sora-lint does.

It flags ``<anything>.videos.create(..., seconds=<int literal>, ...)`` when the value is not
one of sora-2's durations under the APIYI contract (4, 8, 12): roughly sora-lint's SOR001
for literal arguments, without names, ``**params``, profiles or fixes. It is written the
way a Fixit rule is meant to be written (a matcher in ``visit_Call``), so the comparison
measures the framework and not a careless rule.

bench/run.py runs it with ``fixit --rules fixit_rule:SoraSecondsRule lint DENSE`` and this
folder on ``PYTHONPATH``; ``fixit test .fixit_rule:SoraSecondsRule`` (from this folder) runs the cases below.
"""
from __future__ import annotations

import libcst as cst
import libcst.matchers as m
from fixit import Invalid, LintRule, Valid

SUPPORTED_SECONDS = (4, 8, 12)

_SECONDS_ARG = m.Arg(
    keyword=m.Name("seconds"),
    value=m.Integer(value=m.MatchIfTrue(lambda text: int(text, 0) not in SUPPORTED_SECONDS)),
)
_VIDEOS_CREATE = m.Call(
    func=m.Attribute(value=m.Attribute(attr=m.Name("videos")), attr=m.Name("create")),
    args=[m.ZeroOrMore(), _SECONDS_ARG, m.ZeroOrMore()],
)


class SoraSecondsRule(LintRule):
    """``seconds`` of ``videos.create`` must be 4, 8 or 12 (sora-2)."""

    VALID = [
        Valid('client.videos.create(model="sora-2", prompt="p", seconds=8)'),
        Valid('client.videos.create(prompt="p", seconds="10")'),  # a string: not this rule's business
        Valid("client.videos.remix(video_id, seconds=10)"),
        Valid("client.videos.create(prompt=p, **params)"),
    ]
    INVALID = [
        Invalid('client.videos.create(model="sora-2", prompt="p", seconds=10)'),
        Invalid('self.client.videos.create(\n    prompt="p",  # note\n    seconds=30,\n)'),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if m.matches(node, _VIDEOS_CREATE):
            self.report(node, "seconds must be 4, 8 or 12 for sora-2")
