package corpusgen_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"

	"qcode/internal/corpusgen"
)

func ExampleInterview() {
	var buf bytes.Buffer
	rng := rand.New(rand.NewPCG(1, 2))
	if err := corpusgen.Interview(&buf, "txt-tab", 300, rng); err != nil {
		fmt.Println(err)
		return
	}
	header, turns, _ := strings.Cut(buf.String(), "\n\n")
	fmt.Println(strings.Split(header, "\n")[0])
	for _, line := range strings.Split(turns, "\n")[:4] {
		if r := []rune(line); len(r) > 56 {
			line = string(r[:56]) + "…"
		}
		fmt.Printf("%q\n", line)
	}
	// Output:
	// Wrexley–Mbale Paediatric Partnership — Interview Transcript
	// "I\t00:00:03\tThanks for making the time, Renée. Could you …"
	// "R\t00:00:18\tOur link coordinator called it “partnership t…"
	// "I\t00:00:44\tIs there anything we haven’t covered that you…"
	// "R\t00:00:51\tMr. Okello used to say that the visitors were…"
}
