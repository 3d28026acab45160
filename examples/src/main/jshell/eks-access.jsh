// eks-access in JShell: the imports a session needs. Start it with ./jshell-eks-access (README).
import dev.eksaccess.api.*;
import dev.eksaccess.api.authz.*;
import dev.eksaccess.api.spi.IdentityMapping;
import dev.eksaccess.api.spi.RbacSnapshot;
import dev.eksaccess.awsauth.*;
import dev.eksaccess.rbac.*;
import dev.eksaccess.accessentries.*;
import dev.eksaccess.migration.*;
import dev.eksaccess.kubernetes.*;
import dev.eksaccess.testkit.*;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
