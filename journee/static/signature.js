/* The signature pad of the « émargement » pages: drawing with a finger, a stylus or a
   mouse (pointer events) on a canvas, sent as a PNG data URL in the form's hidden field.
   Without this script the pad stays hidden and staff attest the presence instead.
   One pointer draws at a time (a palm resting on a tablet does not scribble), and a
   turned screen or a resized window keeps the signature, scaled to the new pad. */
(function () {
  "use strict";
  var pad = document.querySelector("[data-signature-pad]");
  if (!pad || !window.HTMLCanvasElement) { return; }
  var canvas = pad.querySelector("canvas");
  var form = pad.querySelector("form");
  var field = form.querySelector("input[name=signature]");
  var status = pad.querySelector("[role=status]");
  var context = canvas.getContext("2d");
  var drawing = null;  /* the id of the pointer drawing, if any */
  var drawn = false;
  var last = null;

  function prepare() {
    var ratio = window.devicePixelRatio || 1;
    var box = canvas.getBoundingClientRect();
    canvas.width = Math.round(box.width * ratio);
    canvas.height = Math.round(box.height * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = context.fillStyle = "#1a1a40";
  }

  function resized() {
    var ratio = window.devicePixelRatio || 1;
    var box = canvas.getBoundingClientRect();
    if (Math.round(box.width * ratio) === canvas.width &&
        Math.round(box.height * ratio) === canvas.height) { return; }
    if (!drawn || box.width === 0 || box.height === 0) { prepare(); return; }
    var before = document.createElement("canvas");
    before.width = canvas.width;
    before.height = canvas.height;
    before.getContext("2d").drawImage(canvas, 0, 0);
    prepare();
    /* The whole signature, as large as the new pad allows, its proportions kept. */
    var scale = Math.min(canvas.width / before.width, canvas.height / before.height);
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.drawImage(before, 0, 0, before.width * scale, before.height * scale);
    context.restore();
    drawing = null;
  }

  function at(event) {
    var box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    if (drawing !== null) { return; }
    if (canvas.setPointerCapture) { canvas.setPointerCapture(event.pointerId); }
    drawing = event.pointerId;
    last = at(event);
    context.beginPath();
    context.arc(last.x, last.y, 1.2, 0, 2 * Math.PI);
    context.fill();
    drawn = true;
  });
  canvas.addEventListener("pointermove", function (event) {
    if (event.pointerId !== drawing) { return; }
    var point = at(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(point.x, point.y);
    context.stroke();
    last = point;
  });
  function stop(event) {
    if (event.pointerId === drawing) { drawing = null; }
  }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  canvas.addEventListener("lostpointercapture", stop);

  pad.querySelector("[data-clear]").addEventListener("click", function () {
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.restore();
    drawn = false;
    field.value = "";
    status.textContent = "Signature effacée.";
  });
  form.addEventListener("submit", function () {
    field.value = drawn ? canvas.toDataURL("image/png") : "";
  });

  pad.hidden = false;
  prepare();
  window.addEventListener("resize", resized);
  window.addEventListener("orientationchange", resized);
}());
