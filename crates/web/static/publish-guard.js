// The publish button of a bulletin (optional; the server checks the same): disabled
// while the texts above have unsaved changes, and asks for confirmation before the
// irreversible publication.
const edit = document.getElementById('bulletin-form');
const publish = document.getElementById('publish-form');
if (edit && publish) {
  const button = publish.querySelector('button[type=submit]');
  const unsaved = document.getElementById('unsaved-note');
  edit.addEventListener('input', () => {
    button.disabled = true;
    if (unsaved) unsaved.hidden = false;
  });
  publish.addEventListener('submit', (event) => {
    if (!window.confirm(publish.dataset.confirm)) event.preventDefault();
  });
}
