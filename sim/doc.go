// Package sim is Outbox Lab's lab: a real order service on loopback HTTP, a
// real Redis client (miniredis by default, any Redis with Options.RedisAddr),
// SQLite files for the orders database and for each consumer, a relay that
// drains the transactional outbox, an in-process broker and two
// deduplicating consumers.
//
// The lab is driven step by step, like etcd's raft: the caller (the GUI, the
// scenario player, the explorer, a test) calls Send, Retry, StepRelay,
// StepConsumer, Resume, Crash, Advance... and each call returns once the work
// it started has either finished or parked on a paused named point. Nothing
// moves on its own unless RunAuto is called (the headless `serve` mode), so
// the same actions on the same seed give the same trace, IDs and state.
//
// Time is the lab clock: Advance moves it and fast-forwards Redis TTLs; the
// lab never sleeps to move time.
//
// sim must never import fyne.io/...; the UI reads Snapshot and the paged
// row accessors instead.
package sim
