"""A realistic dialogue through the real door: ``simulate(runtime, participants=, seed=)`` (see
:mod:`bot.simulation.run`); the runtime must be built with a :class:`SimulationClock`."""

from bot.simulation.run import SimulationClock, Summary, simulate

__all__ = ["SimulationClock", "Summary", "simulate"]
