// Package ui is the Fyne desktop window of Outbox Lab. It draws what the lab
// in package sim reports and sends it commands; it holds no lab logic itself.
package ui
