// labels-print.js is the label sheet's print button (/api/v1/labels.html). It is a file of
// its own because the server's Content-Security-Policy forbids inline scripts and onclick.

const button = document.getElementById('print-labels');
if (button) {
  button.addEventListener('click', () => window.print());
}
