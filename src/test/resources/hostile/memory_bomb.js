// Keeps ever more objects reachable until V8's heap runs out.
const blocks = [];
for (;;) {
  blocks.push(new Array(1 << 16).fill({ x: Math.random() }));
}
