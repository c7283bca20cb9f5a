#!/usr/bin/python3
# Usage: /usr/bin/python3 scripts/ics-check.py FILE.ics...
# Checks an iCalendar file with Debian's python3-icalendar: it parses
# without errors, each VEVENT has UID, DTSTAMP and DTSTART, and each RRULE
# is a recurrence the library understands. Exit 1 when a file fails.
import sys
from icalendar import Calendar

bad = 0
for name in sys.argv[1:]:
    problems = []
    try:
        cal = Calendar.from_ical(open(name, 'rb').read())
        for c in cal.walk():
            for e in getattr(c, 'errors', []):
                problems.append(f'{c.name}: {e}')
        events = cal.walk('VEVENT')
        if not events:
            problems.append('no VEVENT')
        for ev in events:
            for p in ('UID', 'DTSTAMP', 'DTSTART'):
                if p not in ev:
                    problems.append(f'VEVENT lacks {p}')
            if 'RRULE' in ev:
                rule = ev.decoded('RRULE')
                if 'FREQ' not in rule:
                    problems.append(f'{ev.get("UID")}: RRULE without FREQ')
                print(f'  {ev.get("SUMMARY")}: {ev.decoded("DTSTART")!r} {ev.get("RRULE").to_ical().decode()}')
    except Exception as ex:
        problems.append(f'parse error: {ex}')
    print(f'{name}: {"REJECTED" if problems else "OK"}')
    for p in problems:
        print('  problem:', p)
    bad += bool(problems)
sys.exit(1 if bad else 0)
