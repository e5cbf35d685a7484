"""Tests of the policy-search layer (:mod:`optimize`)."""
