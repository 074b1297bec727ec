// Package scenarios will hold the built-in scenario scripts and their player.
package scenarios
