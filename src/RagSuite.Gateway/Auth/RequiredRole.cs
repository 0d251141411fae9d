namespace RagSuite.Gateway.Auth;

/// <summary>Endpoint metadata: the least role a key needs to call the endpoint. Endpoints without it need <see cref="ApiRole.Read"/>.</summary>
public sealed record RequiredRole(ApiRole Role);

public static class RequiredRoleExtensions
{
    public static RouteHandlerBuilder RequireRole(this RouteHandlerBuilder endpoint, ApiRole role) =>
        endpoint.WithMetadata(new RequiredRole(role)).ProducesProblem(StatusCodes.Status403Forbidden);
}
