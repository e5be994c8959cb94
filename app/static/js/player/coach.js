// The voice coach's script: what to say during a step or the lead-in, and when, as seconds
// left on that countdown. Pure functions, so the order and timing are plain data.

const COUNT_DOWN = [3, 2, 1];

// A step: its cue (or full instruction), count and pace, and today's skin-check change as it
// starts; "Switch sides" or "Halfway" halfway; "Next: …" 8 s before the end; then 3-2-1.
export function stepScript({ words, count, change, halfway, seconds, next }) {
  const lines = [{ at: seconds, text: [words, count, change].filter(Boolean).join(" ") }];
  if (halfway && seconds >= 20) lines.push({ at: Math.ceil(seconds / 2), text: halfway });
  if (next && seconds >= 15) lines.push({ at: 8, text: `Next: ${next}.` });
  if (seconds >= 6) lines.push(...COUNT_DOWN.map((n) => ({ at: n, text: String(n) })));
  return lines;
}

// The get-ready lead-in: what comes first, then 3-2-1 into it.
export function leadInScript({ seconds, first }) {
  const lines = [{ at: seconds, text: `First: ${first}.` }];
  if (seconds >= 4) lines.push(...COUNT_DOWN.map((n) => ({ at: n, text: String(n) })));
  return lines;
}

// The lines due at `remainingMs`, skipping any more than `staleMs` overdue (after the tab
// slept, a burst of old cues would only confuse). Returns [due lines, lines still to come].
export function dueLines(lines, remainingMs, staleMs = 1500) {
  const due = lines.filter((line) => remainingMs <= line.at * 1000);
  const rest = lines.filter((line) => remainingMs > line.at * 1000);
  return [due.filter((line) => line.at * 1000 - remainingMs <= staleMs), rest];
}
