//go:build race

package render

// The race detector slows goldmark down several times over, which would
// make wall-clock bounds meaningless.
const raceEnabled = true
