// A test double of Stripe.js, served at https://js.stripe.com/... by the browser test (no network).
// It keeps Stripe.js's shape where the portal touches it: Stripe(key).elements({clientSecret}),
// create('payment').mount(), confirmPayment / confirmSetup({elements, confirmParams, redirect}). Instead of
// card fields it offers a choice of what the card does; confirming calls Stripe's API origin (answered by
// the test), and a card that needs 3-D Secure leaves for the issuer's page on hooks.stripe.com and comes
// back to confirmParams.return_url, as Stripe.js does.
(function () {
  function Stripe(publishableKey) {
    if (!/^pk_test_/.test(publishableKey)) throw new Error('a test double takes test keys only');
    function confirm(kind, args) {
      var secret = args.elements._clientSecret;
      var id = secret.split('_secret_')[0];
      var choice = document.getElementById('double-card').value;
      var path = kind === 'payment' ? '/v1/payment_intents/' : '/v1/setup_intents/';
      return fetch('https://api.stripe.com' + path + id + '/confirm', {
        method: 'POST',
        body: 'client_secret=' + encodeURIComponent(secret) + '&card=' + encodeURIComponent(choice),
      })
        .then(function (r) {
          return r.json();
        })
        .then(function (answer) {
          if (answer.error) return { error: answer.error };
          if (answer.status === 'requires_action') {
            var back = encodeURIComponent(args.confirmParams.return_url);
            window.location.assign('https://hooks.stripe.com/3d_secure_2/authenticate/' + id + '?return_url=' + back);
            return new Promise(function () {});
          }
          return kind === 'payment' ? { paymentIntent: answer } : { setupIntent: answer };
        });
    }
    return {
      elements: function (options) {
        return {
          _clientSecret: options.clientSecret,
          create: function () {
            var handlers = {};
            var node = null;
            return {
              on: function (name, handler) {
                handlers[name] = handler;
              },
              mount: function (target) {
                node = document.createElement('div');
                node.className = 'double-payment-element';
                var label = document.createElement('label');
                label.htmlFor = 'double-card';
                label.textContent = 'Test card (Stripe test double)';
                var select = document.createElement('select');
                select.id = 'double-card';
                [
                  ['succeed', 'Visa 4242: succeeds'],
                  ['insufficient_funds', 'Declined: insufficient funds'],
                  ['requires_action', 'Asks for 3-D Secure'],
                ].forEach(function (o) {
                  var option = document.createElement('option');
                  option.value = o[0];
                  option.textContent = o[1];
                  select.appendChild(option);
                });
                node.appendChild(label);
                node.appendChild(select);
                target.appendChild(node);
                setTimeout(function () {
                  if (handlers.ready) handlers.ready();
                }, 0);
              },
              destroy: function () {
                if (node) node.remove();
              },
            };
          },
        };
      },
      confirmPayment: function (args) {
        return confirm('payment', args);
      },
      confirmSetup: function (args) {
        return confirm('setup', args);
      },
    };
  }
  Stripe.version = 'endive';
  window.Stripe = Stripe;
})();
