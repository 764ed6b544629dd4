// The setup guide's and the kiosk gate's only script. Plain ES2017 with no build step, so it
// runs on older iPads too. Checks report through data-state ("yes" / "no") for people and tests.
(function () {
  'use strict';
  var body = document.body;
  var text = JSON.parse(document.getElementById('messages').textContent || '{}');
  var PROBE_TIMEOUT_MS = 5000;
  var LANGUAGE_KEY = 'vs-setup-language';

  // The center's language unless this tablet chose the other one; both are in the page.
  var root = document.documentElement;
  function showLanguage(language) {
    root.setAttribute('data-language', language);
    root.lang = language;
  }
  try {
    var chosen = localStorage.getItem(LANGUAGE_KEY);
    if (chosen === 'zh-CN' || chosen === 'en') showLanguage(chosen);
  } catch (ignored) {}
  var switches = document.querySelectorAll('.switch[data-to]');
  for (var s = 0; s < switches.length; s++) {
    switches[s].addEventListener('click', function (event) {
      var language = event.currentTarget.getAttribute('data-to');
      showLanguage(language);
      try { localStorage.setItem(LANGUAGE_KEY, language); } catch (ignored) {}
    });
  }

  function bilingual(key) {
    var fragment = document.createDocumentFragment();
    var zh = document.createElement('span');
    zh.lang = 'zh-CN';
    zh.textContent = text[key].zh;
    var en = document.createElement('span');
    en.lang = 'en';
    en.className = 'en';
    en.textContent = text[key].en;
    fragment.appendChild(zh);
    fragment.appendChild(document.createTextNode(' '));
    fragment.appendChild(en);
    return fragment;
  }

  function setCheck(id, state, key) {
    var item = document.getElementById(id);
    if (!item) return;
    item.setAttribute('data-state', state);
    var value = item.querySelector('.check-value');
    value.textContent = '';
    value.appendChild(bilingual(key));
  }

  // Succeeds only when the browser accepts the HTTPS certificate: a certificate error fails the
  // request before any answer, and the JSON proves it reached this station, not something else.
  function probe(url) {
    if (!url || !window.fetch) return Promise.resolve(false);
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (controller) controller.abort();
    }, PROBE_TIMEOUT_MS);
    return fetch(url, { mode: 'cors', cache: 'no-store', signal: controller ? controller.signal : undefined })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        return Boolean(answer && answer.station === 'volunteer-station');
      })
      .catch(function () {
        return false;
      })
      .then(function (trusted) {
        clearTimeout(timer);
        return trusted;
      });
  }

  function setupPage() {
    var secure = window.isSecureContext === true && location.protocol === 'https:';
    setCheck('check-secure', secure ? 'yes' : 'no', secure ? 'yes' : 'no');
    setCheck('check-camera', 'pending', 'notTested');
    probe(body.getAttribute('data-probe-url')).then(function (trusted) {
      setCheck('check-trust', trusted ? 'yes' : 'no', trusted ? 'yes' : 'no');
      var ready = document.getElementById('ready');
      if (ready && trusted) ready.hidden = false;
    });

    var button = document.getElementById('test-camera');
    var message = document.getElementById('camera-message');
    var preview = document.getElementById('camera-preview');
    function explain(key) {
      message.textContent = '';
      message.appendChild(bilingual(key));
      message.hidden = false;
    }
    button.addEventListener('click', function () {
      message.hidden = true;
      if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        setCheck('check-camera', 'no', 'no');
        explain('cameraNeedsHttps');
        return;
      }
      setCheck('check-camera', 'pending', 'checking');
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
        .then(function (stream) {
          setCheck('check-camera', 'yes', 'yes');
          preview.srcObject = stream;
          preview.hidden = false;
          preview.play().catch(function () {});
          // A short look is proof enough; the camera is released for the kiosk.
          setTimeout(function () {
            stream.getTracks().forEach(function (track) {
              track.stop();
            });
            preview.hidden = true;
          }, 4000);
        })
        .catch(function (error) {
          setCheck('check-camera', 'no', 'no');
          var name = error && error.name;
          explain(name === 'NotAllowedError' ? 'cameraDenied' : name === 'NotFoundError' || name === 'OverconstrainedError' ? 'cameraMissing' : 'cameraFailed');
        });
    });
  }

  function gatePage() {
    var cookie = body.getAttribute('data-cookie');
    probe(body.getAttribute('data-probe-url')).then(function (trusted) {
      if (trusted) {
        location.replace(body.getAttribute('data-target-url'));
        return;
      }
      document.getElementById('gate-waiting').hidden = true;
      document.getElementById('gate-untrusted').hidden = false;
    });
    document.getElementById('gate-retry').addEventListener('click', function () {
      location.reload();
    });
    document.getElementById('gate-continue').addEventListener('click', function () {
      // Half a day: the next morning the gate checks again, in case the tablet was set up meanwhile.
      document.cookie = cookie + '=1; path=/kiosk; max-age=43200; SameSite=Lax';
      location.reload();
    });
  }

  if (body.getAttribute('data-page') === 'setup') setupPage();
  if (body.getAttribute('data-page') === 'gate') gatePage();
})();
