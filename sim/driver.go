package sim

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Action is one thing a driver did to the lab, in the order it happened.
// Replaying the list on a fresh lab with the same seed rebuilds the same
// state; that is how rewind and recording work.
type Action struct {
	Verb string   `json:"verb"`
	Args []string `json:"args,omitempty"`
}

func (a Action) String() string { return strings.TrimSpace(a.Verb + " " + strings.Join(a.Args, " ")) }

// Actions returns what the lab has been asked to do so far.
func (l *Lab) Actions() []Action {
	l.act.Lock()
	defer l.act.Unlock()
	return append([]Action(nil), l.actions...)
}

// Arg renders name=value for a recorded action, quoting the value (Go
// syntax) when it holds spaces, quotes or non-ASCII, so the scenario
// parser reads it back exactly.
func Arg(name, value string) string {
	if value == "" || strings.IndexFunc(value, func(r rune) bool { return r <= ' ' || r > '~' || r == '"' || r == '\\' }) >= 0 {
		return name + "=" + strconv.Quote(value)
	}
	return name + "=" + value
}

func (l *Lab) record(verb string, args ...string) {
	l.actions = append(l.actions, Action{Verb: verb, Args: args})
}

// Send posts an order with key through the lab's client. It returns when
// the answer arrives or the request parks on a paused point (Result
// waiting); a parked request's answer shows up in Client().History once it
// is resumed.
func (l *Lab) Send(key string, req OrderRequest) Outcome {
	l.act.Lock()
	defer l.act.Unlock()
	l.record("send", Arg("key", key), Arg("item", req.Item), "qty="+strconv.Itoa(req.Qty))
	return l.sendLocked(key, req)
}

// Retry sends the last body used with key again, with the same key.
func (l *Lab) Retry(key string) (Outcome, error) {
	l.act.Lock()
	defer l.act.Unlock()
	req, ok := l.client.body(key)
	if !ok {
		return Outcome{}, fmt.Errorf("no request was sent with key %s yet, so there is nothing to retry", key)
	}
	l.record("retry", Arg("key", key))
	return l.sendLocked(key, req), nil
}

func (l *Lab) sendLocked(key string, req OrderRequest) Outcome {
	o := l.client.begin(key, req)
	l.changed(&l.versions.client)
	l.note(LaneClient, LaneClient, o.Request, "send", key, "", "", fmt.Sprintf("attempt %d: %d × %s", o.Attempt, req.Qty, req.Item))
	parked, _ := l.works.start(o.Request, func() {
		done := l.client.post(context.Background(), o)
		l.client.finish(done)
		l.changed(&l.versions.client)
		if done.Result == ResultDropped {
			l.note(LaneClient, LaneClient, o.Request, "connection dropped", key, "", "", "")
		}
	})
	l.afterStep()
	if parked {
		return o
	}
	out, _ := l.client.Last(key)
	return out
}

// RetryPolicy is how a client retries one logical request with the same key.
type RetryPolicy struct {
	Attempts int           // sends in all, first included
	Backoff  time.Duration // wait before the first retry, doubled each time
}

// SendWithRetries sends and, while the answer is a dropped connection, an
// in-flight 409 or a 503, waits (in lab time) and retries with the same key.
func (l *Lab) SendWithRetries(key string, req OrderRequest, p RetryPolicy) []Outcome {
	out := []Outcome{l.Send(key, req)}
	wait := p.Backoff
	for len(out) < p.Attempts {
		switch out[len(out)-1].Result {
		case ResultDropped, ResultInFlight, ResultUnavailable:
		default:
			return out
		}
		if wait > 0 {
			_ = l.Advance(wait)
			wait *= 2
		}
		o, _ := l.Retry(key)
		out = append(out, o)
	}
	return out
}

// Arm sets what a named point does; ModeRun disarms it.
func (l *Lab) Arm(point string, mode Mode) error {
	l.act.Lock()
	defer l.act.Unlock()
	if _, err := ParseMode(string(mode)); err != nil {
		return err
	}
	if err := l.pts.arm(point, mode); err != nil {
		return err
	}
	l.record("arm", point, string(mode))
	if mode == ModeRun {
		l.note(LaneLab, LaneLab, "", "disarm "+point, "", "", "", "")
	} else {
		l.note(LaneLab, LaneLab, "", "arm "+point, "", "", "", string(mode))
	}
	l.changed(&l.versions.paused)
	return nil
}

// ArmedPoints reports every armed point and its mode.
func (l *Lab) ArmedPoints() map[string]Mode { return l.pts.modes() }

// Paused lists work parked on paused points, oldest first.
func (l *Lab) Paused() []Paused { return l.pts.list() }

// Resume lets parked work go on and waits until it settles again.
func (l *Lab) Resume(id int) error { return l.release("resume", id, false) }

// Crash makes parked work die where it stands and waits for it to unwind.
func (l *Lab) Crash(id int) error { return l.release("crash", id, true) }

func (l *Lab) release(verb string, id int, crash bool) error {
	l.act.Lock()
	defer l.act.Unlock()
	p, found := l.pausedByID(id)
	if !found {
		return fmt.Errorf("%s: no paused work with id %d", verb, id)
	}
	ws := l.works.get(p.Work)
	// Trace before releasing: the released work traces its next steps at
	// once, and a replay must see the same order.
	l.record(verb, p.Work)
	l.note(LaneLab, laneOfWork(p.Work), p.Work, verb, "", "", "", p.Point)
	if _, err := l.pts.release(id, crash); err != nil {
		return fmt.Errorf("%s: %w", verb, err)
	}
	if ws != nil {
		ws.wait()
	}
	l.changed(&l.versions.paused)
	l.afterStep()
	return nil
}

func (l *Lab) pausedByID(id int) (Paused, bool) {
	for _, p := range l.pts.list() {
		if p.ID == id {
			return p, true
		}
	}
	return Paused{}, false
}

// PausedWork finds parked work by its work name (req-3, relay,
// consumer:email); recorded actions name work, not IDs.
func (l *Lab) PausedWork(work string) (Paused, bool) {
	for _, p := range l.pts.list() {
		if p.Work == work {
			return p, true
		}
	}
	return Paused{}, false
}

// StepRelay runs one relay cycle. A crash is reported in the report, not
// as an error: the relay process dies and the next step starts afresh.
func (l *Lab) StepRelay() (RelayReport, error) {
	l.act.Lock()
	defer l.act.Unlock()
	l.record("relay", "step")
	rep, err := l.stepRelayLocked()
	l.afterStep()
	return rep, err
}

func (l *Lab) stepRelayLocked() (RelayReport, error) {
	var rep RelayReport
	var err error
	parked, serr := l.works.start("relay", func() { rep, err = l.relay.step(context.Background()) })
	if serr != nil {
		return rep, serr
	}
	if parked {
		return RelayReport{Paused: true}, nil
	}
	if errors.Is(err, ErrCrashed) {
		rep.Crashed, err = err.(*CrashError).Point, nil
	}
	return rep, err
}

// StepConsumer lets one consumer take and apply a batch of deliveries.
func (l *Lab) StepConsumer(name string) (ConsumerReport, error) {
	l.act.Lock()
	defer l.act.Unlock()
	c, err := l.consumer(name)
	if err != nil {
		return ConsumerReport{}, err
	}
	l.record("consume", name)
	rep, err := l.stepConsumerLocked(c)
	l.afterStep()
	return rep, err
}

func (l *Lab) consumer(name string) (*consumer, error) {
	for _, c := range l.consumers {
		if c.name == name {
			return c, nil
		}
	}
	return nil, fmt.Errorf("unknown consumer %q (valid: %s)", name, strings.Join(ConsumerNames, ", "))
}

func (l *Lab) stepConsumerLocked(c *consumer) (ConsumerReport, error) {
	var rep ConsumerReport
	var err error
	parked, serr := l.works.start(c.work(), func() { rep, err = c.step(context.Background(), l.opts.ConsumerBatch) })
	if serr != nil {
		return rep, serr
	}
	if parked {
		return ConsumerReport{Paused: true}, nil
	}
	if errors.Is(err, ErrCrashed) {
		rep.Crashed, err = err.(*CrashError).Point, nil
	}
	return rep, err
}

// DrainReport sums up a Drain.
type DrainReport struct {
	RelaySteps int            `json:"relay_steps"`
	Published  int            `json:"published"`
	Dead       int            `json:"dead"`
	Applied    map[string]int `json:"applied"`
	Duplicates map[string]int `json:"duplicates"`
	Crashes    []string       `json:"crashes,omitempty"`
	Waited     time.Duration  `json:"waited"` // lab time skipped to reach backoff deadlines
	Stopped    string         `json:"stopped,omitempty"`
}

// Drain runs the relay and both consumers until nothing is left to do,
// jumping the lab clock over backoff waits. It stops early when work parks
// on a paused point, or when a point armed crash-always would make every
// further step die the same way.
func (l *Lab) Drain() (DrainReport, error) {
	l.act.Lock()
	defer l.act.Unlock()
	l.record("relay", "drain")
	rep, err := l.drainLocked()
	l.afterStep()
	return rep, err
}

func (l *Lab) drainLocked() (DrainReport, error) {
	rep := DrainReport{Applied: map[string]int{}, Duplicates: map[string]int{}}
	stopOn := func(point string) bool {
		rep.Crashes = append(rep.Crashes, point)
		if l.pts.modes()[point] == ModeCrashAlways {
			rep.Stopped = point + " is armed crash-always"
			return true
		}
		return false
	}
	for range 1_000_000 {
		var r RelayReport
		var err error
		if l.pointsArmed("relay.", "consumer.") {
			if stop, err := l.drainConsumersLocked(&rep, stopOn); stop || err != nil {
				return rep, err
			}
			r, err = l.stepRelayLocked()
		} else {
			r, err = l.consumeWhileRelaying(&rep)
		}
		if err != nil {
			return rep, err
		}
		rep.RelaySteps++
		rep.Published += r.Published
		rep.Dead += r.Dead
		switch {
		case r.Paused:
			rep.Stopped = "the relay is paused"
			return rep, nil
		case r.Unmarked:
			rep.Stopped = "paused work holds the orders database's write lock, so the relay cannot mark what it published"
			return rep, nil
		case r.Crashed != "":
			if stopOn(r.Crashed) {
				return rep, nil
			}
			continue
		case r.Fetched > 0:
			continue
		}
		if stop, err := l.drainConsumersLocked(&rep, stopOn); stop || err != nil {
			return rep, err
		}
		if r.Waiting == 0 {
			return rep, nil
		}
		wait := r.NextDue - l.clock.Since()
		if wait > 0 {
			rep.Waited += wait
			if err := l.advanceLocked(wait); err != nil {
				return rep, err
			}
		}
	}
	rep.Stopped = "gave up after a million steps"
	return rep, nil
}

func (l *Lab) drainConsumersLocked(rep *DrainReport, stopOn func(string) bool) (bool, error) {
	if !l.pointsArmed("consumer.") {
		return false, l.inParallel(rep, nil)
	}
	for _, c := range l.consumers {
		for {
			r, err := l.stepConsumerLocked(c)
			if err != nil {
				return true, err
			}
			rep.Applied[c.name] += r.Applied
			rep.Duplicates[c.name] += r.Duplicates
			if r.Paused {
				rep.Stopped = c.name + " is paused"
				return true, nil
			}
			if r.Crashed != "" && stopOn(r.Crashed) {
				return true, nil
			}
			if r.Taken == 0 {
				break
			}
		}
	}
	return false, nil
}

// consumeWhileRelaying is one drain round, pipelined: the consumers empty
// what is queued now while the relay runs its next cycle. It does exactly
// what the serial round (consumers until empty, then one relay cycle)
// does: the consumers stop at what was queued before the relay started.
func (l *Lab) consumeWhileRelaying(rep *DrainReport) (RelayReport, error) {
	var r RelayReport
	var err error
	cerr := l.inParallel(rep, func() { r, err = l.relay.step(context.Background()) })
	return r, errors.Join(err, cerr)
}

// inParallel runs every consumer (and relayCycle, when given) at once.
// Each consumer has its own database, so they use every core. It is only
// called with no relevant point armed, so nothing can pause or crash, and
// holding each one's trace until all are done keeps the trace in the
// order a serial run writes it: consumers in order, then the relay.
func (l *Lab) inParallel(rep *DrainReport, relayCycle func()) error {
	type result struct {
		applied, duplicates int
		err                 error
	}
	queued := l.broker.counts().Queued
	results := make([]result, len(l.consumers))
	var wg sync.WaitGroup
	for i, c := range l.consumers {
		l.trace.hold(c.work())
		wg.Go(func() {
			for left := queued[c.name]; left > 0; {
				r, err := c.step(context.Background(), min(left, l.opts.ConsumerBatch))
				results[i].applied += r.Applied
				results[i].duplicates += r.Duplicates
				left -= r.Taken
				if err != nil || r.Taken == 0 {
					results[i].err = err
					return
				}
			}
		})
	}
	if relayCycle != nil {
		l.trace.hold("relay")
		wg.Go(relayCycle)
	}
	wg.Wait()
	var errs []error
	for i, c := range l.consumers {
		l.trace.release(c.work())
		rep.Applied[c.name] += results[i].applied
		rep.Duplicates[c.name] += results[i].duplicates
		errs = append(errs, results[i].err)
	}
	if relayCycle != nil {
		l.trace.release("relay")
	}
	return errors.Join(errs...)
}

// pointsArmed reports whether any point whose name starts with one of the
// prefixes is armed.
func (l *Lab) pointsArmed(prefixes ...string) bool {
	for name := range l.pts.modes() {
		for _, p := range prefixes {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
	}
	return false
}

// RequeueDead puts every dead-lettered outbox row back to pending with
// fresh attempts, due now: what an operator does once the broker is back.
// The rows were parked, never lost.
func (l *Lab) RequeueDead() (int, error) {
	l.act.Lock()
	defer l.act.Unlock()
	l.record("relay", "requeue")
	res, err := l.db.ExecContext(context.Background(), `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE status = 'dead'`,
		formatLabTime(l.clock.Now()))
	if err != nil {
		return 0, fmt.Errorf("requeue dead rows: %w", err)
	}
	n, _ := res.RowsAffected()
	l.note(LaneLab, LaneSQLite, "", "requeue dead outbox rows", "", "", "", plural(int(n), "row"))
	l.changed(&l.versions.outbox)
	l.afterStep()
	return int(n), nil
}

// ConsumeAll lets every consumer take and apply what is queued until the
// queues are empty (or a consumer pauses, or crashes on a crash-always
// point).
func (l *Lab) ConsumeAll() (DrainReport, error) {
	l.act.Lock()
	defer l.act.Unlock()
	l.record("consume", "all")
	rep := DrainReport{Applied: map[string]int{}, Duplicates: map[string]int{}}
	stopOn := func(point string) bool {
		rep.Crashes = append(rep.Crashes, point)
		return l.pts.modes()[point] == ModeCrashAlways
	}
	_, err := l.drainConsumersLocked(&rep, stopOn)
	l.afterStep()
	return rep, err
}

// Advance moves lab time forward by d: Redis TTLs run down, relay backoff
// deadlines come due. Nothing sleeps.
func (l *Lab) Advance(d time.Duration) error {
	l.act.Lock()
	defer l.act.Unlock()
	if d <= 0 {
		return fmt.Errorf("advance: the duration must be positive, not %s", d)
	}
	if d > 100*365*24*time.Hour {
		return fmt.Errorf("advance: %s is more than a hundred years", d)
	}
	l.record("advance", d.String())
	err := l.advanceLocked(d)
	l.afterStep()
	return err
}

func (l *Lab) advanceLocked(d time.Duration) error {
	now := l.clock.advance(d)
	l.note(LaneLab, LaneRedis, "", "advance time "+d.String(), "", "", "", "TTLs run down, backoff deadlines come due")
	l.changed(&l.versions.redis)
	if err := l.redis.advance(context.Background(), d, now); err != nil {
		return fmt.Errorf("advance redis TTLs: %w", err)
	}
	return nil
}

// RestartRedis restarts Redis and loses every key, as a Redis without
// persistence does.
func (l *Lab) RestartRedis() error {
	l.act.Lock()
	defer l.act.Unlock()
	l.record("redis", "restart")
	l.note(LaneLab, LaneRedis, "", "restart redis: every key is lost", "", "", "", "")
	err := l.redis.restart(context.Background())
	l.changed(&l.versions.redis)
	l.afterStep()
	return err
}

// LoseNextResponse makes the next answer vanish on its way to the client:
// the service did all its work, the client sees a dropped connection.
func (l *Lab) LoseNextResponse() {
	l.act.Lock()
	defer l.act.Unlock()
	l.record("lose-response")
	l.note(LaneLab, LaneAPI, "", "the next response will be lost", "", "", "", "")
	l.loseResponse.Store(true)
}

// SetBrokerFault makes the broker go down, duplicate deliveries, or work.
func (l *Lab) SetBrokerFault(f BrokerFault) error {
	l.act.Lock()
	defer l.act.Unlock()
	if err := l.broker.SetFault(f); err != nil {
		return err
	}
	l.record("broker", string(f))
	l.note(LaneLab, LaneBroker, "", "broker "+string(f), "", "", "", "")
	l.changed(&l.versions.broker)
	return nil
}

// Set changes a pattern switch, e.g. Set("publish", "after-commit").
func (l *Lab) Set(name, value string) error {
	l.act.Lock()
	defer l.act.Unlock()
	l.swMu.Lock()
	err := l.switches.Set(name, value)
	l.swMu.Unlock()
	if err != nil {
		return err
	}
	l.record("set", name+"="+value)
	l.note(LaneLab, LaneLab, "", "set "+name+"="+value, "", "", "", "")
	l.changed(&l.versions.switches)
	return nil
}

// SetRelayBatch changes how many rows one relay cycle reads.
func (l *Lab) SetRelayBatch(n int) error {
	if n < 1 || n > 10_000 {
		return fmt.Errorf("relay batch must be from 1 to 10000, not %d", n)
	}
	l.act.Lock()
	defer l.act.Unlock()
	l.relayBatch.Store(int64(n))
	l.record("relay", "batch="+strconv.Itoa(n))
	return nil
}

// afterStep runs the invariant checker, as the lab does after every step,
// and traces each invariant that turns red.
func (l *Lab) afterStep() {
	res, err := l.checker.check(context.Background())
	if err != nil {
		l.note(LaneLab, LaneLab, "", "invariant check failed", "", "", "", err.Error())
		return
	}
	l.lastCheckedMu.Lock()
	prev := l.lastChecked
	l.lastChecked = res
	l.lastCheckedMu.Unlock()
	for i, r := range res {
		wasOK := prev == nil || prev[i].OK
		if wasOK && !r.OK {
			l.note(LaneLab, LaneLab, "", "invariant broken: "+r.Name, "", "", "", strings.Join(r.Broken, "; "))
		}
	}
}

// Invariants returns the result of the latest check, checking now when
// nothing has been checked yet.
func (l *Lab) Invariants() []InvariantResult {
	l.lastCheckedMu.Lock()
	res := l.lastChecked
	l.lastCheckedMu.Unlock()
	if res == nil {
		l.afterStep() // the checker locks itself; no driver lock needed
		l.lastCheckedMu.Lock()
		res = l.lastChecked
		l.lastCheckedMu.Unlock()
	}
	return res
}

// Invariant returns one invariant's latest result by name.
func (l *Lab) Invariant(name string) (InvariantResult, error) {
	for _, r := range l.Invariants() {
		if r.Name == name {
			return r, nil
		}
	}
	return InvariantResult{}, fmt.Errorf("unknown invariant %q (valid: %s)", name, strings.Join(InvariantNames, ", "))
}

// Client is the lab's HTTP client, for its history.
func (l *Lab) Client() *Client { return l.client }
