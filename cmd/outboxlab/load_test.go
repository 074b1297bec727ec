package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// loadRequests and loadClients are the load: 50 clients, 20,000
// requests, 30% of them retries of a key already sent, some answers lost.
const (
	loadClients  = 50
	loadRequests = 20_000
	retryShare   = 0.30
	lostShare    = 0.05
)

// Under load against `serve` with the relay running: exactly one order per
// distinct key, every order delivered once to each consumer, and no answer
// but 201 or the expected 409 (a retry while the first attempt is still in
// flight). The request rate and p99 latency are logged; run with -v to see
// them (go test ./cmd/outboxlab -run Load -v).
func TestServeUnderLoadKeepsOneOrderPerKeyAndDeliversEach(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 requests")
	}
	dir := t.TempDir()
	srv := startChild(t, "--db", dir)
	transport := &http.Transport{MaxIdleConnsPerHost: loadClients}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	var mu sync.Mutex
	var sent []string         // keys sent so far, for retries
	statuses := map[int]int{} // answers by status
	lost := map[string]bool{} // keys whose answer was lost
	latencies := make([]time.Duration, 0, loadRequests)
	perClient := loadRequests / loadClients
	start := time.Now()
	var wg sync.WaitGroup
	for c := range loadClients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 99))
			for i := range perClient {
				mu.Lock()
				var key string
				if len(sent) > 0 && rng.Float64() < retryShare {
					key = sent[rng.IntN(len(sent))]
				} else {
					key = keyName("c"+string(rune('A'+c%26))+string(rune('a'+c/26)), i)
					sent = append(sent, key)
				}
				mu.Unlock()

				ctx, cancel := context.WithCancel(context.Background())
				loseIt := rng.Float64() < lostShare
				if loseIt {
					// The answer is lost: the client hangs up as soon as the
					// request is on the wire, and the server carries on.
					ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { cancel() }})
				}
				began := time.Now()
				r := postOrder(ctx, client, srv.api, key)
				took := time.Since(began)
				cancel()
				mu.Lock()
				switch {
				case loseIt:
					lost[key] = true
				case r.err != nil:
					statuses[-1]++
				default:
					statuses[r.status]++
					latencies = append(latencies, took)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	slices.Sort(latencies)
	p99 := latencies[len(latencies)*99/100]
	t.Logf("%d requests from %d clients in %s: %.0f requests/s, p50 %s, p99 %s; answers %v; %d answers lost",
		loadRequests, loadClients, elapsed.Round(time.Millisecond), float64(loadRequests)/elapsed.Seconds(),
		latencies[len(latencies)/2].Round(time.Microsecond), p99.Round(time.Microsecond), statuses, len(lost))
	for status, n := range statuses {
		require.Contains(t, []int{http.StatusCreated, http.StatusConflict}, status, "%d answers with status %d", n, status)
	}

	// Every client that lost an answer retries until it has one.
	for key := range lost {
		settle(t, client, srv.api, key)
	}
	got := srv.waitDelivered(t)
	require.Equal(t, len(sent), got.Orders, "one order per distinct key")
	srv.stop(t)
	checkDatabases(t, dir, len(sent))
}
