// The rich-text editor: django-prose-editor's ProseMirror (Tiptap) build, started here instead of
// by its own presets, so that the page needs no import map (an inline script) and Tiptap injects no
// <style> element (injectCSS: false): it runs under our CSP without 'unsafe-inline'. The textarea
// keeps the HTML; the server sanitises it (lib/text.py). A photo in the text is uploaded at once
// to the module's access-checked URL (data-upload-url) and placed where the cursor is.
import {
  Editor, Document, Paragraph, Text, HardBreak, Bold, Italic, Underline, Strike, BulletList,
  OrderedList, ListItem, Heading, Blockquote, HorizontalRule, Link, Image, History, Menu,
  Dropcursor, Gapcursor,
} from "../django_prose_editor/editor.js";

const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

function csrfToken(element) {
  const input = element.closest("form")?.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function attachImageUpload(textarea, editor) {
  const box = document.querySelector(`[data-rich-editor-image-for="${textarea.id}"]`);
  if (!box) return;
  const input = box.querySelector("input[type=file]");
  const status = box.querySelector("[role=status]");
  box.hidden = false;
  input.addEventListener("change", async () => {
    const file = input.files[0];
    if (!file) return;
    const body = new FormData();
    body.append("image", file);
    status.textContent = box.dataset.busy || "…";
    try {
      const response = await fetch(box.dataset.uploadUrl, {
        method: "POST", body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(textarea) },
      });
      const answer = await response.json();
      if (!response.ok) {
        status.textContent = answer.error || response.statusText;
        return;
      }
      editor.chain().focus().insertContent({ type: "image", attrs: { src: answer.url, alt: answer.alt } }).run();
      status.textContent = answer.message || "";
    } catch (error) {
      status.textContent = String(error);
    } finally {
      input.value = "";
    }
  });
}

// The toolbar's buttons carry English titles: give them the page's words (rich-editor-i18n.js).
function relabel(wrapper) {
  for (const button of wrapper.querySelectorAll("button[title]")) {
    const words = window.gettext ? window.gettext(button.title) : button.title;
    if (words !== button.title) {
      button.title = words;
      button.setAttribute("aria-label", words);
    }
  }
}

function create(textarea) {
  if (textarea.closest(".prose-editor")) return;
  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label && !label.id) label.id = `${textarea.id}_label`;
  const described = textarea.getAttribute("aria-describedby");
  const attributes = { role: "textbox", "aria-multiline": "true" };
  if (label) attributes["aria-labelledby"] = label.id;
  if (described) attributes["aria-describedby"] = described;
  if (textarea.getAttribute("aria-invalid")) attributes["aria-invalid"] = "true";
  const editor = new Editor({
    element: wrapper,
    injectCSS: false,
    editable: !textarea.disabled,
    content: textarea.value,
    editorProps: { attributes },
    extensions: [
      Document, Paragraph, Text, HardBreak, History, Dropcursor, Gapcursor, Menu,
      Bold, Italic, Underline, Strike, BulletList, OrderedList, ListItem,
      Heading.configure({ levels: [2, 3] }), Blockquote, HorizontalRule,
      Link.configure({ openOnClick: false }),
      Image,
    ],
    onUpdate({ editor: current }) {
      const html = current.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
    },
  });
  if (label) label.addEventListener("click", () => editor.commands.focus());
  relabel(wrapper);
  editor.on("create", () => relabel(wrapper));
  attachImageUpload(textarea, editor);
  textarea.dispatchEvent(new CustomEvent("rich-editor:ready", { detail: { editor }, bubbles: true }));
  return editor;
}

for (const textarea of document.querySelectorAll("textarea[data-rich-editor]")) create(textarea);
