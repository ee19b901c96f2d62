"""Heat's stacks grouped into trees: a root and its nested stacks.

Pure.  A tree is what one transaction brings over, so a nested stack never
arrives without its parent, nor a parent without its children.
"""

import dataclasses


@dataclasses.dataclass
class Tree:
    """A root stack and its descendants, parents before children."""

    root: dict
    stacks: list[dict]

    @property
    def ids(self) -> list[str]:
        return [s['id'] for s in self.stacks]


def group(stacks: list[dict]) -> tuple[list[Tree], list[dict]]:
    """The trees of ``stacks`` (roots by creation time) and the stacks
    whose owner is not a live stack (an orphaned nested stack)."""
    by_owner: dict = {}
    by_id = {s['id']: s for s in stacks}
    for stack in stacks:
        by_owner.setdefault(stack['owner_id'], []).append(stack)
    roots = sorted(by_owner.get(None, []),
                   key=lambda s: (s['created_at'], s['id']))
    trees = [Tree(root, _descend(root, by_owner)) for root in roots]
    orphans = [s for s in stacks
               if s['owner_id'] is not None and s['owner_id'] not in by_id]
    return trees, orphans


def _descend(root: dict, by_owner: dict) -> list[dict]:
    """``root`` and every stack below it, breadth first."""
    ordered, frontier = [], [root]
    while frontier:
        ordered.extend(frontier)
        frontier = [child for parent in frontier
                    for child in sorted(by_owner.get(parent['id'], []),
                                        key=lambda s: s['id'])]
    return ordered
