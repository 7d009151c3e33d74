using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// Prepares a running wallet for the payment-path figure: registers a user, binds the magic "00"
/// card through the wallet (the OTP read from the simulator's inbox), and writes the wrk Lua script
/// that posts payments of 1 minor unit, each with its own Idempotency-Key and order reference.
/// </summary>
internal sealed class WalletSetup : ITool
{
    private const string Pin = "240613";

    public string Name => "wallet-setup";

    public string Usage => "--wallet URL --sms URL --lua FILE";

    public IReadOnlyCollection<string> Options { get; } = ["wallet", "sms", "lua"];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var wallet = args.GetUri("wallet");
        var sms = args.GetUri("sms");
        var lua = args.RequireString("lua");
        using var http = new HttpClient { BaseAddress = wallet };

        var user = await PostAsync(http, "/users", new { phone = "13900000001", password = "bench-pass-1", pin = Pin });
        http.DefaultRequestHeaders.Authorization = new("Bearer", user["token"]!.GetValue<string>());
        var card = MagicCardBinder.ApprovedCard;
        var after = await MagicCardBinder.LastSequenceAsync(sms);
        var binding = await PostAsync(http, "/cards/bind", new
        {
            pan = card.Pan,
            expiry = card.Expiry,
            cvv = card.Cvv,
            holderName = card.InputHolderName,
            idNumber = card.InputIdNumber,
            phone = card.InputPhone,
        });
        var bindingId = binding["bindingId"]!.GetValue<string>();
        var otp = await MagicCardBinder.WaitForOtpAsync(sms, after);
        await PostAsync(http, $"/cards/bind/{bindingId}/confirm", new { otp });

        var token = user["token"]!.GetValue<string>();
        await File.WriteAllTextAsync(lua, $$"""
            -- Written by PaySim.Benchmarks wallet-setup: one payment of 1 minor unit per request,
            -- each with its own Idempotency-Key and order reference, so every one really pays.
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer {{token}}"
            -- Keys must not repeat across runs against the same wallet, or the wallet answers a
            -- cheap replay: pass a run id after "--" (wrk -s pay.lua URL -- run-1).
            local threads = 0
            function setup(thread)
              threads = threads + 1
              thread:set("tid", threads)
            end
            local run = "run"
            function init(args)
              if args[1] ~= nil then run = args[1] end
            end
            local n = 0
            request = function()
              n = n + 1
              local id = run .. "-" .. tostring(tid) .. "-" .. n
              wrk.headers["Idempotency-Key"] = "bench-" .. id
              return wrk.format(nil, "/payments", nil,
                '{"amount":1,"currency":"CNY","merchant":"m-bench","orderReference":"o-' .. id .. '","pin":"{{Pin}}"}')
            end
            """);
        Console.WriteLine($$"""{"tool":"{{Name}}","bindingId":"{{bindingId}}"}""");
        return 0;
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!;
    }
}
