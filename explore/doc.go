// Package explore hunts for invariant violations with random fault
// schedules. Each run resets a lab, sets the switches under test, plays a
// schedule drawn from a seeded source (orders sent and retried, points
// armed to crash or pause, paused work resumed or crashed, Redis restarts,
// lab time moved past TTLs, broker faults, relay and consumer steps, lost
// responses), lets everything finish and drain, and reads the invariant
// lights. The first run that breaks each invariant is shrunk to the
// shortest schedule that still breaks it and written as a narrated
// scenario that `outboxlab play` reproduces.
//
// Every action is a scenario line, parsed and run by package scenarios, so
// what the explorer did and what a counterexample file says are the same
// thing. Same seed, same runs, same result: runs are drawn from the seed
// alone, and results are gathered by run number whatever order the workers
// finish in.
package explore
