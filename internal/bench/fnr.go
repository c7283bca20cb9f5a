package bench

import "time"

// numbers hands out the synthetic fødselsnumre of one birth date at a time,
// exactly as samordna.SyntheticIDNumber(birth, seq) does (a test checks
// they agree), but computing a date's list once instead of per person:
// SyntheticIDNumber rebuilds the whole list on every call, which for a
// million persons costs minutes of allocation.
type numbers struct {
	date  time.Time
	valid []string
}

var (
	fnrK1 = [9]int{3, 7, 6, 1, 8, 9, 4, 5, 2}
	fnrK2 = [10]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
)

// get returns SyntheticIDNumber(birth, seq).
func (n *numbers) get(birth time.Time, seq int) string {
	if !birth.Equal(n.date) || n.valid == nil {
		n.date, n.valid = birth, n.valid[:0]
		year, month, day := birth.Date()
		lo, hi := 500, 999
		if year < 2000 {
			lo, hi = 0, 499
		}
		if year < 1900 {
			lo, hi = 500, 749
		}
		for ind := lo; ind <= hi; ind++ {
			d := [11]int{day / 10, day % 10, (int(month) + 80) / 10, (int(month) + 80) % 10,
				year % 100 / 10, year % 10, ind / 100, ind / 10 % 10, ind % 10}
			s := 0
			for i, w := range fnrK1 {
				s += d[i] * w
			}
			if d[9] = (11 - s%11) % 11; d[9] == 10 {
				continue
			}
			s = 0
			for i, w := range fnrK2 {
				s += d[i] * w
			}
			if d[10] = (11 - s%11) % 11; d[10] == 10 {
				continue
			}
			var b [11]byte
			for i, v := range d {
				b[i] = byte('0' + v)
			}
			n.valid = append(n.valid, string(b[:]))
		}
	}
	return n.valid[((seq%len(n.valid))+len(n.valid))%len(n.valid)]
}
