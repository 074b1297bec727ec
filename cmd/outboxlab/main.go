package main

import "outboxlab/ui"

func main() { ui.Run() }
