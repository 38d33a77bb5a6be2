// The rich-text editor's words in the page's language (lib/forms.py editor_labels, as JSON data in
// the page). Runs before web/rich-editor.js imports the editor, whose dialogs ask window.gettext.
const data = document.getElementById("rich-editor-i18n");
const labels = data ? JSON.parse(data.textContent) : {};
const fallback = window.gettext;
window.gettext = (text) => labels[text] ?? (fallback ? fallback(text) : text);
export default labels;
