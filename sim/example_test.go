package sim_test

import (
	"fmt"

	"outboxlab/sim"
)

// A lost response and a retry with the same key: one order, and the retry
// is answered with the stored response.
func Example() {
	lab, err := sim.Open(sim.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer lab.Close()

	lab.LoseNextResponse()
	first := lab.Send("k1", sim.OrderRequest{Item: "book", Qty: 1})
	retry, _ := lab.Retry("k1")
	drain, _ := lab.Drain()

	fmt.Println("first:", first.Result)
	fmt.Println("retry:", retry.Result, retry.Status)
	fmt.Println("published:", drain.Published, "shipped:", drain.Applied["warehouse"])
	for _, inv := range lab.Invariants() {
		fmt.Println(inv.Name, inv.OK)
	}
	// Output:
	// first: dropped
	// retry: replayed 201
	// published: 1 shipped: 1
	// one-order-per-key true
	// no-phantom-event true
	// no-lost-event true
	// exactly-once-effect true
	// no-stuck-key true
}
