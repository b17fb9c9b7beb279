"""The allocation engine: pure Python, exact arithmetic, no Flask or database import."""

from .election import APPROVAL, POINTS, Election, Project
from .explain import CostBound, Explanation, explain
from .fairness import Fairness, fairness, rule_parameters
from .equal_shares import EqualShares, Outcome, equal_shares, equal_shares_add1
from .greedy import greedy
from .rules import RULES, SHORT, Allocation, UnknownRule, allocate
from .ties import TieOrder, lot

__all__ = ["APPROVAL", "POINTS", "Allocation", "CostBound", "Election", "EqualShares", "Explanation", "Fairness",
           "Outcome", "Project", "RULES", "SHORT", "TieOrder", "UnknownRule", "allocate",
           "equal_shares", "equal_shares_add1", "explain", "fairness", "greedy", "lot",
           "rule_parameters"]
