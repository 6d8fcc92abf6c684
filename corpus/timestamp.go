package corpus

import (
	"regexp"
	"strconv"
)

// FramesPerSecond converts the frames of an hh:mm:ss:ff timecode to time.
// Transcription software in the UK and Africa mostly works at PAL's 25.
const FramesPerSecond = 25

// timeRE matches the bare timestamp forms transcripts use: mm:ss, hh:mm:ss,
// with an optional fraction after '.' or ',' (hh:mm:ss.s, hh:mm:ss,mmm) or
// frames after ':' (hh:mm:ss:ff).
var timeRE = regexp.MustCompile(`^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:([.,])(\d{1,3})|:(\d{2}))?$`)

// ParseTime parses a bare timestamp (without brackets) into milliseconds.
func ParseTime(s string) (Time, bool) {
	m := timeRE.FindStringSubmatch(s)
	if m == nil {
		return NoTime, false
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	var h, min, sec int
	if m[3] == "" {
		if m[6] != "" { // mm:ss:ff is not a form anyone writes
			return NoTime, false
		}
		min, sec = a, b
	} else {
		h, min = a, b
		sec, _ = strconv.Atoi(m[3])
	}
	if min > 59 && m[3] != "" || sec > 59 {
		return NoTime, false
	}
	ms := (h*3600 + min*60 + sec) * 1000
	switch {
	case m[5] != "":
		frac := m[5]
		for len(frac) < 3 {
			frac += "0"
		}
		f, _ := strconv.Atoi(frac)
		ms += f
	case m[6] != "":
		f, _ := strconv.Atoi(m[6])
		if f >= FramesPerSecond {
			return NoTime, false
		}
		ms += f * 1000 / FramesPerSecond
	}
	return Time(ms), true
}
