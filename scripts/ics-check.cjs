// Usage: NODE_PATH=<dir with ical.js> node scripts/ics-check.cjs FILE.ics...
// Checks an iCalendar file with Mozilla's ical.js (the parser Thunderbird
// uses): CRLF lines of at most 75 octets, VCALENDAR with PRODID and
// VERSION, each VEVENT with UID, DTSTAMP and DTSTART, DTEND not before
// DTSTART, and each RRULE expands to occurrences. Exit 1 when a file fails.
const fs = require('node:fs');
const ICAL = require('ical.js');

let bad = 0;
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  const problems = [];
  if (/[^\r]\n/.test(text)) problems.push('line endings must be CRLF');
  if (text.split('\r\n').some((l) => Buffer.byteLength(l) > 75)) problems.push('a line longer than 75 octets');
  try {
    const cal = new ICAL.Component(ICAL.parse(text));
    if (cal.name !== 'vcalendar') problems.push('root is not VCALENDAR');
    for (const p of ['prodid', 'version']) if (!cal.hasProperty(p)) problems.push(`VCALENDAR lacks ${p}`);
    const events = cal.getAllSubcomponents('vevent');
    if (!events.length) problems.push('no VEVENT');
    for (const ve of events) {
      for (const p of ['uid', 'dtstamp', 'dtstart']) if (!ve.hasProperty(p)) problems.push(`VEVENT lacks ${p}`);
      const ev = new ICAL.Event(ve);
      if (ev.endDate && ev.endDate.compare(ev.startDate) < 0) problems.push(`${ev.uid}: DTEND before DTSTART`);
      if (ev.isRecurring()) {
        const it = ev.iterator();
        const seen = [];
        for (let i = 0; i < 3; i++) {
          const next = it.next();
          if (!next) break;
          seen.push(next.toString());
        }
        if (seen.length < 3) problems.push(`${ev.uid}: RRULE gives ${seen.length} occurrences`);
        console.log(`  ${ev.summary}: ${seen.join(', ')}`);
      }
    }
  } catch (err) {
    problems.push(`ical.js: ${err.message}`);
  }
  console.log(`${file}: ${problems.length ? 'REJECTED' : 'OK'}`);
  for (const p of problems) console.log(`  problem: ${p}`);
  if (problems.length) bad++;
}
process.exit(bad ? 1 : 0);
