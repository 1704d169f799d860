// Classify ISNCSCI exams with the Praxis reference implementation (npm package "isncsci").
// Reads a JSON array of exams (the package's Exam shape) on stdin; writes a JSON array of
// {classification, totals} on stdout. Usage: node run_reference.js <node_modules folder>
const path = require("path");
const { ISNCSCI } = require(path.join(process.argv[2], "isncsci"));
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const exams = JSON.parse(input);
  const out = exams.map((exam) => {
    const r = new ISNCSCI(exam);
    return { classification: r.classification, totals: r.totals };
  });
  process.stdout.write(JSON.stringify(out));
});
